"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";

export function useRemoveOrganisationUser(organisationId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: number) => api.delete(paths.organisationUser(organisationId, userId)),
    onSuccess: () =>
      void queryClient.invalidateQueries({ queryKey: queryKeys.organisations.usersAll(organisationId) }),
  });
}
