"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/queries/api-client";
import { paths } from "@/lib/client/queries/paths";
import { invalidateAfterOverrideChange } from "@/lib/client/queries/segment-override-cache";
import type { FlagValue, SegmentOverride } from "@/lib/client/queries/types";

export interface CreateSegmentOverrideInput {
  environment: number;
  segment: number;
  enabled?: boolean;
  feature_state_value?: FlagValue;
  priority?: number;
}

export function useCreateSegmentOverride(projectId: number, featureId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateSegmentOverrideInput) =>
      api.post<SegmentOverride>(paths.segmentOverrides(projectId, featureId), input),
    onSuccess: () => invalidateAfterOverrideChange(queryClient, projectId, featureId),
  });
}
