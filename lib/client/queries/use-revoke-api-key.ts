"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";

export function useRevokeApiKey(organisationId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (keyId: number) => api.delete(paths.apiKey(organisationId, keyId)),
    onSuccess: () =>
      void queryClient.invalidateQueries({ queryKey: queryKeys.organisations.apiKeysAll(organisationId) }),
  });
}
