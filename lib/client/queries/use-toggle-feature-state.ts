"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useToast } from "@/components/ui/toast";
import { api, errorMessage } from "@/lib/client/queries/api-client";
import { featureStateMutationKey, patchCachedFeatureState, settleFeatureState, type FeatureStateTarget } from "@/lib/client/queries/feature-state-cache";
import { rollback } from "@/lib/client/queries/optimistic";
import { paths } from "@/lib/client/queries/paths";
import type { FeatureState } from "@/lib/client/queries/types";

/** Turns a feature on or off in one environment: the switch moves at once, and moves back on failure. */
export function useToggleFeatureState() {
  const queryClient = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationKey: featureStateMutationKey,
    mutationFn: ({ apiKey, stateId, enabled }: FeatureStateTarget & { enabled: boolean }) =>
      api.patch<FeatureState>(paths.featureState(apiKey, stateId), { enabled }),
    onMutate: async (target) => ({ snapshot: await patchCachedFeatureState(queryClient, target, { enabled: target.enabled }) }),
    onError: (error, target, context) => {
      rollback(queryClient, context?.snapshot);
      toast.error(`Could not turn ${target.featureName} ${target.enabled ? "on" : "off"} in ${target.environmentName}: ${errorMessage(error)}`);
    },
    onSuccess: (_state, target) => toast.success(`${target.featureName} turned ${target.enabled ? "on" : "off"} in ${target.environmentName}`),
    onSettled: (_state, _error, target) => settleFeatureState(queryClient, target),
  });
}
