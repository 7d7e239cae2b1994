"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/queries/api-client";
import type { CommentStyle, GitLabIntegrationConfig } from "@/lib/client/queries/gitlab-types";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";

export interface UpdateGitLabIntegrationInput {
  access_token?: string;
  gitlab_instance_url?: string;
  gitlab_project_id?: number | null;
  tagging_enabled?: boolean;
  comment_style?: CommentStyle;
  webhook_secret?: string;
  release_rules_enabled?: boolean;
  commands_enabled?: boolean;
  commands_ignore_internal?: boolean;
  commands_on_confidential?: boolean;
}

export function useUpdateGitLabIntegration(projectId: number, integrationId: number | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateGitLabIntegrationInput) =>
      api.patch<GitLabIntegrationConfig>(paths.gitlabIntegration(projectId, integrationId!), input),
    onSuccess: (config, input) => {
      queryClient.setQueryData(queryKeys.gitlab.integration(projectId), config);
      // A rotated token may see other GitLab projects.
      if (input.access_token)
        void queryClient.invalidateQueries({ queryKey: queryKeys.gitlab.projectLists(projectId) });
      // Turning tagging on creates the GitLab system tags.
      void queryClient.invalidateQueries({ queryKey: queryKeys.tags.list(projectId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.auditLog.lists(projectId) });
    },
  });
}
