"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/queries/api-client";
import type { MutationOutcome } from "@/lib/client/queries/mutation-outcome";
import type { FeatureLink, LinkType } from "@/lib/client/queries/gitlab-types";
import { queryKeys } from "@/lib/client/queries/keys";
import { applyOptimistic, rollback } from "@/lib/client/queries/optimistic";
import { paths } from "@/lib/client/queries/paths";
import { invalidateAfterLinkChange } from "@/lib/client/queries/use-feature-links";

export interface LinkItemVariables {
  url: string;
  type: LinkType;
  /** What the table shows until the server answers: the picked item, or the pasted text. */
  preview: {
    title: string;
    state: FeatureLink["metadata"]["state"];
    draft: boolean;
    reference: string;
    projectPath: string;
    gitlabProjectId: number | null;
    iid: number | null;
  };
}

let placeholderId = 0;

function placeholder(featureId: number, { url, type, preview }: LinkItemVariables): FeatureLink {
  placeholderId -= 1;
  return {
    id: placeholderId,
    url,
    type,
    feature: featureId,
    is_cleanup_issue: false,
    metadata: {
      title: preview.title,
      state: preview.state,
      draft: preview.draft,
      merged: preview.state === "merged",
      labels: [],
      assignees: [],
      author: null,
      updated_at: null,
      closed_at: null,
      reference: preview.reference,
      project_path: preview.projectPath,
      gitlab_project_id: preview.gitlabProjectId ?? 0,
      iid: preview.iid ?? 0,
      refreshed_at: null,
      stale: false,
      unavailable: false,
    },
    created_at: new Date().toISOString(),
  };
}

/** Links an issue or MR: the row shows at once, and goes again if GitLab or Flagpost refuse. */
export function useLinkFeatureItem(
  projectId: number,
  featureId: number,
  outcome: MutationOutcome<FeatureLink, LinkItemVariables> = {},
) {
  const queryClient = useQueryClient();
  const listKey = queryKeys.featureLinks.list(projectId, featureId);
  return useMutation({
    mutationFn: ({ url, type }: LinkItemVariables) =>
      api.post<FeatureLink>(paths.featureLinks(projectId, featureId), { url, type }),
    onMutate: async (variables) => {
      const row = placeholder(featureId, variables);
      const snapshot = await applyOptimistic(queryClient, [
        { filters: { queryKey: listKey, exact: true }, update: (data) => [row, ...(data as FeatureLink[])] },
      ]);
      return { snapshot, placeholderId: row.id };
    },
    onError: (error, variables, context) => {
      rollback(queryClient, context?.snapshot);
      outcome.onError?.(error, variables);
    },
    onSuccess: (link, variables, context) => {
      queryClient.setQueryData<FeatureLink[]>(listKey, (rows) =>
        rows?.map((row) => (row.id === context?.placeholderId ? link : row)),
      );
      outcome.onSuccess?.(link, variables);
    },
    onSettled: () => invalidateAfterLinkChange(queryClient, projectId, featureId),
  });
}
