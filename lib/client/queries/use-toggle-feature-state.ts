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
import type { FeatureState } from "@/lib/client/queries/types";

/** Turns a feature on or off in one environment: the switch moves at once, and moves back on failure. */
export function useToggleFeatureState(
  outcome: MutationOutcome<FeatureState, FeatureStateTarget & { enabled: boolean }> = {},
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: featureStateMutationKey,
    mutationFn: ({ apiKey, stateId, enabled }: FeatureStateTarget & { enabled: boolean }) =>
      api.patch<FeatureState>(paths.featureState(apiKey, stateId), { enabled }),
    onMutate: async (target) => ({
      snapshot: await patchCachedFeatureState(queryClient, target, { enabled: target.enabled }),
    }),
    onError: (error, target, context) => {
      rollback(queryClient, context?.snapshot);
      outcome.onError?.(error, target);
    },
    onSuccess: (state, target) => outcome.onSuccess?.(state, target),
    onSettled: (_state, _error, target) => settleFeatureState(queryClient, target),
  });
}
