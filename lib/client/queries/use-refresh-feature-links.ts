"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/queries/api-client";
import type { MutationOutcome } from "@/lib/client/queries/mutation-outcome";
import type { FeatureLink } from "@/lib/client/queries/gitlab-types";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";

/** Re-reads every linked item from GitLab now ("Refresh"). */
export function useRefreshFeatureLinks(
  projectId: number,
  featureId: number,
  outcome: MutationOutcome<FeatureLink[], void> = {},
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () =>
      (await api.post<{ results: FeatureLink[] }>(paths.featureLinksRefresh(projectId, featureId), {}))
        .results,
    onSuccess: (rows) => {
      queryClient.setQueryData(queryKeys.featureLinks.list(projectId, featureId), rows);
      // A refresh can reveal a state change a webhook missed, and with it new tags.
      void queryClient.invalidateQueries({ queryKey: queryKeys.features.detail(projectId, featureId) });
      outcome.onSuccess?.(rows);
    },
    onError: (error) => outcome.onError?.(error),
  });
}
