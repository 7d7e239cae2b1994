import type { QueryClient } from "@tanstack/react-query";
import { queryKeys } from "@/lib/client/queries/keys";
import { applyOptimistic, mapRows } from "@/lib/client/queries/optimistic";
import type { Feature, FeatureState } from "@/lib/client/queries/types";

// A feature's state in one environment is cached in two families: the feature lists (as
// `environment_state`) and the per-environment state lists. Both are patched together.

export const featureStateMutationKey = ["feature-state", "update"] as const;

export interface FeatureStateTarget {
  projectId: number;
  apiKey: string;
  stateId: number;
  featureName: string;
  environmentName: string;
}

export function patchCachedFeatureState(
  queryClient: QueryClient,
  { projectId, apiKey, stateId }: FeatureStateTarget,
  patch: Partial<Pick<FeatureState, "enabled" | "feature_state_value">>,
) {
  return applyOptimistic(queryClient, [
    {
      filters: { queryKey: queryKeys.features.lists(projectId) },
      update: (data) =>
        mapRows<Feature>(data, (feature) =>
          feature.environment_state?.id === stateId
            ? { ...feature, environment_state: { ...feature.environment_state, ...patch } }
            : feature,
        ),
    },
    {
      filters: { queryKey: queryKeys.featureStates.byEnvironment(apiKey) },
      update: (data) =>
        mapRows<FeatureState>(data, (state) => (state.id === stateId ? { ...state, ...patch } : state)),
    },
  ]);
}

/**
 * Refetches after the last of a burst of state writes settles: refetching while another write is
 * still in flight would briefly overwrite its optimistic value with the older server answer.
 */
export function settleFeatureState(queryClient: QueryClient, { projectId, apiKey }: FeatureStateTarget) {
  if (queryClient.isMutating({ mutationKey: featureStateMutationKey }) > 1) return;
  void queryClient.invalidateQueries({ queryKey: queryKeys.features.lists(projectId) });
  void queryClient.invalidateQueries({ queryKey: queryKeys.featureStates.byEnvironment(apiKey) });
  void queryClient.invalidateQueries({ queryKey: queryKeys.auditLog.lists(projectId) });
}
