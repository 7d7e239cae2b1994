"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";
import type { OrganisationRole, OrganisationUser } from "@/lib/client/queries/types";

export function useUpdateOrganisationUser(organisationId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      userId,
      ...body
    }: {
      userId: number;
      role?: OrganisationRole;
      gitlab_username?: string | null;
    }) => api.patch<OrganisationUser>(paths.organisationUser(organisationId, userId), body),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.organisations.usersAll(organisationId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.me() });
    },
  });
}
