"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";

export function useDeleteSegment(projectId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (segmentId: number) => api.delete(paths.segment(projectId, segmentId)),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.segments.lists(projectId) });
      // Deleting a segment deletes its overrides, which changes override counts on features.
      void queryClient.invalidateQueries({ queryKey: queryKeys.segmentOverrides.all(projectId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.features.all(projectId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.auditLog.lists(projectId) });
    },
  });
}
