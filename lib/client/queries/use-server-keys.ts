"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useQuery } from "@/lib/client/queries/hydration-safe-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";
import type { CreatedServerKey, Page, ServerKey } from "@/lib/client/queries/types";
import type { CreateServerKeyInput } from "@/lib/validations/evaluation";

/** An environment's server-side SDK keys (`ser.…`); the keys themselves are never listed. */
export function useServerKeys(environmentApiKey: string, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.environments.serverKeys(environmentApiKey),
    queryFn: ({ signal }) => api.get<Page<ServerKey>>(paths.serverKeys(environmentApiKey), {}, signal),
    enabled,
  });
}

/** Creates a server-side key; the answer holds the whole key, which is never shown again. */
export function useCreateServerKey(environmentApiKey: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateServerKeyInput) =>
      api.post<CreatedServerKey>(paths.serverKeys(environmentApiKey), input),
    onSuccess: () =>
      void queryClient.invalidateQueries({ queryKey: queryKeys.environments.serverKeys(environmentApiKey) }),
  });
}

export function useRevokeServerKey(environmentApiKey: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (keyId: number) => api.delete(paths.serverKey(environmentApiKey, keyId)),
    onSuccess: () =>
      void queryClient.invalidateQueries({ queryKey: queryKeys.environments.serverKeys(environmentApiKey) }),
  });
}
