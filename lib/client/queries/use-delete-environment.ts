"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";

export function useDeleteEnvironment(projectId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (apiKey: string) => api.delete(paths.environment(apiKey)),
    onSuccess: (_result, apiKey) => {
      queryClient.removeQueries({ queryKey: queryKeys.environments.detail(apiKey) });
      queryClient.removeQueries({ queryKey: queryKeys.featureStates.byEnvironment(apiKey) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.environments.lists(projectId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.auditLog.lists(projectId) });
    },
  });
}
