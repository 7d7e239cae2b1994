"use client";

import { type QueryClient } from "@tanstack/react-query";
import { useQuery } from "@/lib/client/queries/hydration-safe-query";
import { api } from "@/lib/client/queries/api-client";
import type { FeatureLink } from "@/lib/client/queries/gitlab-types";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";

/** The GitLab issues and merge requests linked to a feature, newest first (metadata re-read by the server when old). */
export function useFeatureLinks(projectId: number, featureId: number) {
  return useQuery({
    queryKey: queryKeys.featureLinks.list(projectId, featureId),
    queryFn: async ({ signal }) =>
      (await api.get<{ results: FeatureLink[] }>(paths.featureLinks(projectId, featureId), undefined, signal))
        .results,
  });
}

/** After a link or unlink: the feature's tags and link count changed, and maybe the project's tags. */
export function invalidateAfterLinkChange(queryClient: QueryClient, projectId: number, featureId: number) {
  void queryClient.invalidateQueries({ queryKey: queryKeys.featureLinks.list(projectId, featureId) });
  void queryClient.invalidateQueries({ queryKey: queryKeys.features.detail(projectId, featureId) });
  void queryClient.invalidateQueries({ queryKey: queryKeys.features.lists(projectId) });
  void queryClient.invalidateQueries({ queryKey: queryKeys.tags.list(projectId) });
  void queryClient.invalidateQueries({ queryKey: queryKeys.auditLog.lists(projectId) });
}
