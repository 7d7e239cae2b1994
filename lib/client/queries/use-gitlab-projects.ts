"use client";

import { keepPreviousData } from "@tanstack/react-query";
import { useQuery } from "@/lib/client/queries/hydration-safe-query";
import { api } from "@/lib/client/queries/api-client";
import type {
  GitLabBrowsePage,
  GitLabProjectFilters,
  GitLabProjectOption,
} from "@/lib/client/queries/gitlab-types";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";

/** GitLab projects the integration's token is a member of, searched and paged on GitLab's side. */
export function useGitLabProjects(
  projectId: number,
  filters: GitLabProjectFilters,
  { enabled = true }: { enabled?: boolean } = {},
) {
  return useQuery({
    queryKey: queryKeys.gitlab.projects(projectId, filters),
    queryFn: ({ signal }) =>
      api.get<GitLabBrowsePage<GitLabProjectOption>>(paths.gitlabProjects(projectId), { ...filters }, signal),
    placeholderData: keepPreviousData,
    enabled,
    // GitLab answers "try again" itself (502/503); retrying at once only adds load.
    retry: false,
  });
}
