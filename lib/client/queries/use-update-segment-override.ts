"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/queries/api-client";
import type { MutationOutcome } from "@/lib/client/queries/mutation-outcome";
import { queryKeys } from "@/lib/client/queries/keys";
import { applyOptimistic, mapRows, rollback } from "@/lib/client/queries/optimistic";
import { paths } from "@/lib/client/queries/paths";
import { invalidateAfterOverrideChange } from "@/lib/client/queries/segment-override-cache";
import type { FlagValue, SegmentOverride } from "@/lib/client/queries/types";

export interface UpdateSegmentOverrideInput {
  overrideId: number;
  segmentName: string;
  enabled?: boolean;
  feature_state_value?: FlagValue;
  priority?: number;
}

/** Inline edits of an override (switch, value, priority): optimistic, rolled back on failure. */
export function useUpdateSegmentOverride(
  projectId: number,
  featureId: number,
  outcome: MutationOutcome<SegmentOverride, UpdateSegmentOverrideInput> = {},
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ overrideId, segmentName: _segmentName, ...patch }: UpdateSegmentOverrideInput) =>
      api.patch<SegmentOverride>(paths.segmentOverride(projectId, featureId, overrideId), patch),
    onMutate: async ({ overrideId, segmentName: _segmentName, ...patch }) => ({
      snapshot: await applyOptimistic(queryClient, [
        {
          filters: { queryKey: queryKeys.segmentOverrides.lists(projectId, featureId) },
          update: (data) =>
            mapRows<SegmentOverride>(data, (row) => (row.id === overrideId ? { ...row, ...patch } : row)),
        },
      ]),
    }),
    onError: (error, input, context) => {
      rollback(queryClient, context?.snapshot);
      outcome.onError?.(error, input);
    },
    onSuccess: (override, input) => outcome.onSuccess?.(override, input),
    onSettled: () => invalidateAfterOverrideChange(queryClient, projectId, featureId),
  });
}
