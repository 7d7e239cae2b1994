"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/queries/api-client";
import type { GitLabIntegrationConfig } from "@/lib/client/queries/gitlab-types";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";

export interface ConnectGitLabInput {
  gitlab_instance_url: string;
  access_token: string;
  webhook_secret?: string;
}

export function useConnectGitLab(projectId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ConnectGitLabInput) =>
      api.post<GitLabIntegrationConfig>(paths.gitlabIntegrations(projectId), input),
    onSuccess: (config) => {
      queryClient.setQueryData(queryKeys.gitlab.integration(projectId), config);
      void queryClient.invalidateQueries({ queryKey: queryKeys.auditLog.lists(projectId) });
    },
  });
}
