"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/queries/api-client";
import { queryKeys } from "@/lib/queries/keys";
import { paths } from "@/lib/queries/paths";

export function useRemoveOrganisationUser(organisationId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: number) => api.delete(paths.organisationUser(organisationId, userId)),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.organisations.usersAll(organisationId) }),
  });
}
