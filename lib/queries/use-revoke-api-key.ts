"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/queries/api-client";
import { queryKeys } from "@/lib/queries/keys";
import { paths } from "@/lib/queries/paths";

export function useRevokeApiKey(organisationId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (keyId: number) => api.delete(paths.apiKey(organisationId, keyId)),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.organisations.apiKeysAll(organisationId) }),
  });
}
