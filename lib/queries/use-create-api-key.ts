"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/queries/api-client";
import { queryKeys } from "@/lib/queries/keys";
import { paths } from "@/lib/queries/paths";
import type { CreatedApiKey } from "@/lib/queries/types";

/** Creates an organisation API key; the answer holds the whole key, which is never shown again. */
export function useCreateApiKey(organisationId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string }) => api.post<CreatedApiKey>(paths.apiKeys(organisationId), input),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.organisations.apiKeysAll(organisationId) }),
  });
}
