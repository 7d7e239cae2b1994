"use client";

import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/queries/api-client";
import type { GitLabIntegrationConfig } from "@/lib/queries/gitlab-types";
import { queryKeys } from "@/lib/queries/keys";
import { paths } from "@/lib/queries/paths";

/** The project's GitLab integration; `data` is null while the project has none. */
export function useGitLabIntegration(projectId: number) {
  return useQuery({
    queryKey: queryKeys.gitlab.integration(projectId),
    queryFn: async ({ signal }) =>
      (await api.get<{ results: GitLabIntegrationConfig[] }>(paths.gitlabIntegrations(projectId), undefined, signal)).results[0] ?? null,
  });
}
