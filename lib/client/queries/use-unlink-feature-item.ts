"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/queries/api-client";
import type { MutationOutcome } from "@/lib/client/queries/mutation-outcome";
import type { FeatureLink } from "@/lib/client/queries/gitlab-types";
import { queryKeys } from "@/lib/client/queries/keys";
import { applyOptimistic, rollback } from "@/lib/client/queries/optimistic";
import { paths } from "@/lib/client/queries/paths";
import { invalidateAfterLinkChange } from "@/lib/client/queries/use-feature-links";

/** Unlinks an issue or MR: the row goes at once and comes back if the server refuses. */
export function useUnlinkFeatureItem(
  projectId: number,
  featureId: number,
  outcome: MutationOutcome<void, FeatureLink> = {},
) {
  const queryClient = useQueryClient();
  const listKey = queryKeys.featureLinks.list(projectId, featureId);
  return useMutation({
    mutationFn: (link: FeatureLink) => api.delete(paths.featureLink(projectId, featureId, link.id)),
    onMutate: async (link) => ({
      snapshot: await applyOptimistic(queryClient, [
        {
          filters: { queryKey: listKey, exact: true },
          update: (data) => (data as FeatureLink[]).filter((row) => row.id !== link.id),
        },
      ]),
    }),
    onError: (error, link, context) => {
      rollback(queryClient, context?.snapshot);
      outcome.onError?.(error, link);
    },
    onSuccess: (answer, link) => outcome.onSuccess?.(answer, link),
    onSettled: () => invalidateAfterLinkChange(queryClient, projectId, featureId),
  });
}
