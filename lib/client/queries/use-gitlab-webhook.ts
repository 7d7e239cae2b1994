"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/queries/api-client";
import type { GitLabIntegrationConfig } from "@/lib/client/queries/gitlab-types";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";

/** "Create the webhook for me" and its undo. */
export function useGitLabWebhook(projectId: number, integrationId: number) {
  const queryClient = useQueryClient();
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.gitlab.integration(projectId) });
    void queryClient.invalidateQueries({ queryKey: queryKeys.auditLog.lists(projectId) });
  };
  const register = useMutation({
    mutationFn: () => api.post<GitLabIntegrationConfig>(paths.gitlabWebhook(projectId, integrationId), {}),
    onSuccess: (config) => {
      queryClient.setQueryData(queryKeys.gitlab.integration(projectId), config);
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => api.delete(paths.gitlabWebhook(projectId, integrationId)),
    onSuccess: refresh,
  });
  return { register, remove };
}
