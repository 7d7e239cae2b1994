"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";
import type { OrganisationRole, OrganisationUser } from "@/lib/client/queries/types";

export interface CreateOrganisationUserInput {
  name?: string;
  email: string;
  password: string;
  role: OrganisationRole;
}

export function useCreateOrganisationUser(organisationId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateOrganisationUserInput) =>
      api.post<OrganisationUser>(paths.organisationUsers(organisationId), input),
    onSuccess: () =>
      void queryClient.invalidateQueries({ queryKey: queryKeys.organisations.usersAll(organisationId) }),
  });
}
