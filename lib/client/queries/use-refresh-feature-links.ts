"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useToast } from "@/components/ui/toast";
import { api, errorMessage } from "@/lib/client/queries/api-client";
import type { FeatureLink } from "@/lib/client/queries/gitlab-types";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";

/** Re-reads every linked item from GitLab now ("Refresh"). */
export function useRefreshFeatureLinks(projectId: number, featureId: number) {
  const queryClient = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: async () => (await api.post<{ results: FeatureLink[] }>(paths.featureLinksRefresh(projectId, featureId), {})).results,
    onSuccess: (rows) => {
      queryClient.setQueryData(queryKeys.featureLinks.list(projectId, featureId), rows);
      // A refresh can reveal a state change a webhook missed, and with it new tags.
      void queryClient.invalidateQueries({ queryKey: queryKeys.features.detail(projectId, featureId) });
      if (rows.some((row) => row.metadata.stale)) toast.error("GitLab did not answer in time: showing what it said last.");
      else toast.success("Refreshed from GitLab");
    },
    onError: (error) => toast.error(`Could not refresh from GitLab: ${errorMessage(error)}`),
  });
}
