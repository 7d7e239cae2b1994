"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";

export function useDeleteGitLabIntegration(projectId: number, integrationId: number | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete(paths.gitlabIntegration(projectId, integrationId!)),
    onSuccess: () => {
      queryClient.setQueryData(queryKeys.gitlab.integration(projectId), null);
      // The next connection may use another token that sees other projects.
      queryClient.removeQueries({ queryKey: queryKeys.gitlab.projectLists(projectId) });
      // Linked items and their tags are gone from features.
      void queryClient.invalidateQueries({ queryKey: queryKeys.features.all(projectId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.auditLog.lists(projectId) });
    },
  });
}
