"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";
import type { Segment } from "@/lib/client/queries/types";
import type { SegmentInput } from "@/lib/client/queries/use-create-segment";

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
