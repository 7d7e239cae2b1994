"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";
import type { Feature, FlagValue } from "@/lib/client/queries/types";

export interface CreateFeatureInput {
  name: string;
  description?: string;
  default_enabled?: boolean;
  initial_value?: FlagValue;
  tags?: number[];
}

export function useCreateFeature(projectId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateFeatureInput) => api.post<Feature>(paths.features(projectId), input),
    onSuccess: (feature) => {
      queryClient.setQueryData(queryKeys.features.detail(projectId, feature.id), feature);
      void queryClient.invalidateQueries({ queryKey: queryKeys.features.lists(projectId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.auditLog.lists(projectId) });
    },
  });
}
