"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";
import type { Segment } from "@/lib/client/queries/types";

export interface SegmentInput {
  name: string;
  description?: string;
  rules?: unknown[];
}

export function useCreateSegment(projectId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: SegmentInput) => api.post<Segment>(paths.segments(projectId), input),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.segments.lists(projectId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.auditLog.lists(projectId) });
    },
  });
}
