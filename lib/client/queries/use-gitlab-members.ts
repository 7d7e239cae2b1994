"use client";

import { keepPreviousData } from "@tanstack/react-query";
import { useQuery } from "@/lib/client/queries/hydration-safe-query";
import { api } from "@/lib/client/queries/api-client";
import type { GitLabBrowsePage, GitLabMemberOption } from "@/lib/client/queries/gitlab-types";
import { queryKeys, type GitLabMemberFilters } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";

/** Members of a GitLab project (inherited ones included), searched by GitLab: the first 20 matches. */
export function useGitLabMembers(
  projectId: number,
  filters: GitLabMemberFilters,
  { enabled = true }: { enabled?: boolean } = {},
) {
  return useQuery({
    queryKey: queryKeys.gitlab.members(projectId, filters),
    queryFn: ({ signal }) =>
      api.get<GitLabBrowsePage<GitLabMemberOption>>(
        paths.gitlabProjectMembers(projectId),
        { ...filters, page_size: 20 },
        signal,
      ),
    placeholderData: keepPreviousData,
    enabled,
    // GitLab answers "try again" itself (502/503); retrying at once only adds load.
    retry: false,
  });
}
