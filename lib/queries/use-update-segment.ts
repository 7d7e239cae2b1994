"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/queries/api-client";
import { queryKeys } from "@/lib/queries/keys";
import { paths } from "@/lib/queries/paths";
import type { Segment } from "@/lib/queries/types";
import type { SegmentInput } from "@/lib/queries/use-create-segment";

export function useUpdateSegment(projectId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ segmentId, ...input }: Partial<SegmentInput> & { segmentId: number }) =>
      api.patch<Segment>(paths.segment(projectId, segmentId), input),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.segments.lists(projectId) });
      // Overrides show the segment's name.
      void queryClient.invalidateQueries({ queryKey: queryKeys.segmentOverrides.all(projectId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.auditLog.lists(projectId) });
    },
  });
}
