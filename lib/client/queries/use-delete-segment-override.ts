"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/queries/api-client";
import { paths } from "@/lib/client/queries/paths";
import { invalidateAfterOverrideChange } from "@/lib/client/queries/segment-override-cache";

export function useDeleteSegmentOverride(projectId: number, featureId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (overrideId: number) => api.delete(paths.segmentOverride(projectId, featureId, overrideId)),
    onSuccess: () => invalidateAfterOverrideChange(queryClient, projectId, featureId),
  });
}
