"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/queries/api-client";
import type { CreateCleanupIssueInput, CreatedCleanupIssue } from "@/lib/client/queries/gitlab-types";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";
import { invalidateAfterLinkChange } from "@/lib/client/queries/use-feature-links";

/** Creates the cleanup issue in GitLab; the new link shows on the Links tab and in the stale view. */
export function useCreateCleanupIssue(projectId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateCleanupIssueInput) =>
      api.post<CreatedCleanupIssue>(paths.createCleanupIssue(projectId), input),
    onSuccess: (_created, input) => {
      invalidateAfterLinkChange(queryClient, projectId, input.feature_id);
      void queryClient.invalidateQueries({ queryKey: queryKeys.staleFlags.lists(projectId) });
    },
  });
}
