"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/queries/api-client";
import type { MutationOutcome } from "@/lib/client/queries/mutation-outcome";
import {
  featureStateMutationKey,
  patchCachedFeatureState,
  settleFeatureState,
  type FeatureStateTarget,
} from "@/lib/client/queries/feature-state-cache";
import { rollback } from "@/lib/client/queries/optimistic";
import { paths } from "@/lib/client/queries/paths";
import type { FeatureState, FlagValue } from "@/lib/client/queries/types";

/** Sets a feature's value in one environment, shown at once and rolled back on failure. */
export function useUpdateFeatureStateValue<
  TChange extends FeatureStateTarget & { value: FlagValue } = FeatureStateTarget & { value: FlagValue },
>(outcome: MutationOutcome<FeatureState, TChange> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: featureStateMutationKey,
    mutationFn: ({ apiKey, stateId, value }: TChange) =>
      api.patch<FeatureState>(paths.featureState(apiKey, stateId), { feature_state_value: value }),
    onMutate: async (target) => ({
      snapshot: await patchCachedFeatureState(queryClient, target, { feature_state_value: target.value }),
    }),
    onError: (error, target, context) => {
      rollback(queryClient, context?.snapshot);
      outcome.onError?.(error, target);
    },
    onSuccess: (state, target) => outcome.onSuccess?.(state, target),
    onSettled: (_state, _error, target) => settleFeatureState(queryClient, target),
  });
}
