"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useQuery } from "@/lib/client/queries/hydration-safe-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";
import type { FeatureStateWithWeights, MultivariateOption, Page } from "@/lib/client/queries/types";
import type {
  createMultivariateOptionBody,
  MultivariateValuesInput,
  updateMultivariateOptionBody,
} from "@/lib/validations/evaluation";
import type { z } from "zod";

/** A feature's variants (multivariate options) with their default weights. */
export function useMultivariateOptions(projectId: number, featureId: number) {
  return useQuery({
    queryKey: queryKeys.multivariateOptions.list(projectId, featureId),
    queryFn: ({ signal }) =>
      api.get<Page<MultivariateOption>>(paths.multivariateOptions(projectId, featureId), undefined, signal),
    select: (page) => page.results,
  });
}

/** Options change every environment's effective weights (defaults apply where none are set). */
function useInvalidateOptions(projectId: number, featureId: number) {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({
      queryKey: queryKeys.multivariateOptions.list(projectId, featureId),
    });
    void queryClient.invalidateQueries({ queryKey: queryKeys.featureStateWeights.all() });
    void queryClient.invalidateQueries({ queryKey: queryKeys.auditLog.lists(projectId) });
  };
}

export function useCreateMultivariateOption(projectId: number, featureId: number) {
  const invalidate = useInvalidateOptions(projectId, featureId);
  return useMutation({
    mutationFn: (input: z.output<typeof createMultivariateOptionBody>) =>
      api.post<MultivariateOption>(paths.multivariateOptions(projectId, featureId), input),
    onSuccess: invalidate,
  });
}

export function useUpdateMultivariateOption(projectId: number, featureId: number) {
  const invalidate = useInvalidateOptions(projectId, featureId);
  return useMutation({
    mutationFn: ({
      optionId,
      ...input
    }: z.output<typeof updateMultivariateOptionBody> & { optionId: number }) =>
      api.patch<MultivariateOption>(paths.multivariateOption(projectId, featureId, optionId), input),
    onSuccess: invalidate,
  });
}

export function useDeleteMultivariateOption(projectId: number, featureId: number) {
  const invalidate = useInvalidateOptions(projectId, featureId);
  return useMutation({
    mutationFn: (optionId: number) => api.delete(paths.multivariateOption(projectId, featureId, optionId)),
    onSuccess: invalidate,
  });
}

/** One environment's state with every option's effective weight (`id: null`: the default applies). */
export function useFeatureStateWeights(apiKey: string, stateId: number | undefined) {
  return useQuery({
    queryKey: queryKeys.featureStateWeights.detail(apiKey, stateId ?? 0),
    queryFn: ({ signal }) =>
      api.get<FeatureStateWithWeights>(paths.featureState(apiKey, stateId ?? 0), undefined, signal),
    enabled: stateId !== undefined,
  });
}

/** Replaces one environment's own weights; options left out fall back to their default. */
export function useUpdateFeatureStateWeights(projectId: number, apiKey: string, stateId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (weights: MultivariateValuesInput) =>
      api.patch<FeatureStateWithWeights>(paths.featureState(apiKey, stateId), {
        multivariate_feature_state_values: weights,
      }),
    onSuccess: (state) => {
      queryClient.setQueryData(queryKeys.featureStateWeights.detail(apiKey, stateId), state);
      void queryClient.invalidateQueries({ queryKey: queryKeys.auditLog.lists(projectId) });
    },
  });
}
