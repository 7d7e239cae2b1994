"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useQuery } from "@/lib/client/queries/hydration-safe-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";
import type { EvaluatedFlags, FlagValue, IdentityOverride } from "@/lib/client/queries/types";

export function useIdentityOverrides(apiKey: string, identityId: number) {
  return useQuery({
    queryKey: queryKeys.identities.overrides(apiKey, identityId),
    queryFn: ({ signal }) =>
      api.get<IdentityOverride[] | { results: IdentityOverride[] }>(
        paths.identityOverrides(apiKey, identityId),
        undefined,
        signal,
      ),
    select: (data) => (Array.isArray(data) ? data : data.results),
  });
}

/** Every flag as the identity gets it, with the engine's reason. */
export function useEvaluatedFlags(apiKey: string, identityId: number) {
  return useQuery({
    queryKey: queryKeys.identities.evaluatedFlags(apiKey, identityId),
    queryFn: ({ signal }) =>
      api.get<EvaluatedFlags>(paths.evaluatedFlags(apiKey, identityId), undefined, signal),
  });
}

function useInvalidateOverrides(projectId: number, apiKey: string, identityId: number) {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.identities.overrides(apiKey, identityId) });
    void queryClient.invalidateQueries({ queryKey: queryKeys.identities.evaluatedFlags(apiKey, identityId) });
    void queryClient.invalidateQueries({ queryKey: queryKeys.auditLog.lists(projectId) });
  };
}

export interface IdentityOverrideInput {
  enabled: boolean;
  feature_state_value: FlagValue;
}

export function useCreateIdentityOverride(projectId: number, apiKey: string, identityId: number) {
  const invalidate = useInvalidateOverrides(projectId, apiKey, identityId);
  return useMutation({
    mutationFn: (input: IdentityOverrideInput & { feature: number }) =>
      api.post<IdentityOverride>(paths.identityOverrides(apiKey, identityId), input),
    onSuccess: invalidate,
  });
}

export function useUpdateIdentityOverride(projectId: number, apiKey: string, identityId: number) {
  const invalidate = useInvalidateOverrides(projectId, apiKey, identityId);
  return useMutation({
    mutationFn: ({ overrideId, ...input }: Partial<IdentityOverrideInput> & { overrideId: number }) =>
      api.patch<IdentityOverride>(paths.identityOverride(apiKey, identityId, overrideId), input),
    onSuccess: invalidate,
  });
}

export function useDeleteIdentityOverride(projectId: number, apiKey: string, identityId: number) {
  const invalidate = useInvalidateOverrides(projectId, apiKey, identityId);
  return useMutation({
    mutationFn: (overrideId: number) => api.delete(paths.identityOverride(apiKey, identityId, overrideId)),
    onSuccess: invalidate,
  });
}
