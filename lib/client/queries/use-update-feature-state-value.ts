"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useToast } from "@/components/ui/toast";
import { describeFlagValue } from "@/lib/client/format/flag-value";
import { api, errorMessage } from "@/lib/client/queries/api-client";
import { featureStateMutationKey, patchCachedFeatureState, settleFeatureState, type FeatureStateTarget } from "@/lib/client/queries/feature-state-cache";
import { rollback } from "@/lib/client/queries/optimistic";
import { paths } from "@/lib/client/queries/paths";
import type { FeatureState, FlagValue } from "@/lib/client/queries/types";

/** Sets a feature's value in one environment, shown at once and rolled back on failure. */
export function useUpdateFeatureStateValue() {
  const queryClient = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationKey: featureStateMutationKey,
    mutationFn: ({ apiKey, stateId, value }: FeatureStateTarget & { value: FlagValue }) =>
      api.patch<FeatureState>(paths.featureState(apiKey, stateId), { feature_state_value: value }),
    onMutate: async (target) => ({
      snapshot: await patchCachedFeatureState(queryClient, target, { feature_state_value: target.value }),
    }),
    onError: (error, target, context) => {
      rollback(queryClient, context?.snapshot);
      toast.error(`Could not change the value of ${target.featureName} in ${target.environmentName}: ${errorMessage(error)}`);
    },
    onSuccess: (_state, target) =>
      toast.success(`${target.featureName} in ${target.environmentName} is now ${describeFlagValue(target.value)}`),
    onSettled: (_state, _error, target) => settleFeatureState(queryClient, target),
  });
}
