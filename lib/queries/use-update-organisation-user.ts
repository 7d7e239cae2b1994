"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/queries/api-client";
import { queryKeys } from "@/lib/queries/keys";
import { paths } from "@/lib/queries/paths";
import type { OrganisationRole, OrganisationUser } from "@/lib/queries/types";

export function useUpdateOrganisationUser(organisationId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, role }: { userId: number; role: OrganisationRole }) =>
      api.patch<OrganisationUser>(paths.organisationUser(organisationId, userId), { role }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.organisations.usersAll(organisationId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.me() });
    },
  });
}
