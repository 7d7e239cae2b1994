"use client";

import { useInfiniteQuery } from "@/lib/client/queries/hydration-safe-query";
import { api } from "@/lib/client/queries/api-client";
import type { GitLabBrowsePage, GitLabItemOption } from "@/lib/client/queries/gitlab-types";
import { queryKeys, type GitLabItemFilters } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";

const PAGE_SIZE = 20;

/** Issues or merge requests of a GitLab project, searched in GitLab (`#12`/`!12` find by number), page after page. */
export function useGitLabItems(
  projectId: number,
  kind: "issues" | "merge-requests",
  filters: GitLabItemFilters,
  { enabled = true }: { enabled?: boolean } = {},
) {
  return useInfiniteQuery({
    queryKey: queryKeys.gitlab.items(projectId, kind, filters),
    queryFn: ({ pageParam, signal }) =>
      api.get<GitLabBrowsePage<GitLabItemOption>>(
        kind === "issues" ? paths.gitlabIssues(projectId) : paths.gitlabMergeRequests(projectId),
        { ...filters, page: pageParam, page_size: PAGE_SIZE },
        signal,
      ),
    initialPageParam: 1,
    getNextPageParam: (last) => last.next_page ?? undefined,
    enabled,
    // GitLab answers "try again" itself (502/503); retrying at once only adds load.
    retry: false,
  });
}
