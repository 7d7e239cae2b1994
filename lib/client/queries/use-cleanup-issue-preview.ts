"use client";

import { useQuery } from "@/lib/client/queries/hydration-safe-query";
import { api } from "@/lib/client/queries/api-client";
import type { CleanupIssuePreview } from "@/lib/client/queries/gitlab-types";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";

/** The title and Markdown body Flagpost proposes for a flag's cleanup issue, and its open cleanup issue if any. */
export function useCleanupIssuePreview(
  projectId: number,
  featureId: number,
  { enabled = true }: { enabled?: boolean } = {},
) {
  return useQuery({
    queryKey: queryKeys.gitlab.cleanupPreview(projectId, featureId),
    queryFn: ({ signal }) =>
      api.get<CleanupIssuePreview>(paths.cleanupIssuePreview(projectId), { feature_id: featureId }, signal),
    enabled,
    // Always start the dialog from the flag as it is now.
    staleTime: 0,
    gcTime: 0,
  });
}
