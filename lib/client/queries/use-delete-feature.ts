"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";

export function useDeleteFeature(projectId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (featureId: number) => api.delete(paths.feature(projectId, featureId)),
    onSuccess: (_result, featureId) => {
      queryClient.removeQueries({ queryKey: queryKeys.features.detail(projectId, featureId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.features.lists(projectId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.auditLog.lists(projectId) });
    },
  });
}
