"use client";

import { useQuery } from "@/lib/client/queries/hydration-safe-query";
import { api } from "@/lib/client/queries/api-client";
import type { GitLabIntegrationConfig } from "@/lib/client/queries/gitlab-types";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";

/** The project's GitLab integration; `data` is null while the project has none. */
export function useGitLabIntegration(projectId: number) {
  return useQuery({
    queryKey: queryKeys.gitlab.integration(projectId),
    queryFn: async ({ signal }) =>
      (
        await api.get<{ results: GitLabIntegrationConfig[] }>(
          paths.gitlabIntegrations(projectId),
          undefined,
          signal,
        )
      ).results[0] ?? null,
  });
}
