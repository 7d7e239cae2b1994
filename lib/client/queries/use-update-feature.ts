"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys } from "@/lib/client/queries/keys";
import { mapRows } from "@/lib/client/queries/optimistic";
import { paths } from "@/lib/client/queries/paths";
import type { Feature, FlagValue } from "@/lib/client/queries/types";

export interface UpdateFeatureInput {
  name?: string;
  description?: string;
  default_enabled?: boolean;
  initial_value?: FlagValue;
  tags?: number[];
  is_permanent?: boolean;
  /** true archives, false restores. */
  is_archived?: boolean;
}

/** Edits a feature's own fields (name, description, defaults, tags, permanent, archived). */
export function useUpdateFeature(projectId: number, featureId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateFeatureInput) => api.patch<Feature>(paths.feature(projectId, featureId), input),
    onSuccess: (feature) => {
      // The list rows keep their environment_state; only the feature's own fields change.
      queryClient.setQueryData(
        queryKeys.features.detail(projectId, featureId),
        (old: Feature | undefined) => ({ ...old, ...feature }),
      );
      queryClient.setQueriesData({ queryKey: queryKeys.features.lists(projectId) }, (data: unknown) =>
        mapRows<Feature>(data, (row) =>
          row.id === featureId ? { ...row, ...feature, environment_state: row.environment_state } : row,
        ),
      );
      void queryClient.invalidateQueries({ queryKey: queryKeys.features.lists(projectId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.auditLog.lists(projectId) });
      // Permanent and archived flags leave the stale-flag view.
      void queryClient.invalidateQueries({ queryKey: queryKeys.staleFlags.lists(projectId) });
    },
  });
}
