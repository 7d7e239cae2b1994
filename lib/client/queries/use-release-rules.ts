"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useQuery } from "@/lib/client/queries/hydration-safe-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys } from "@/lib/client/queries/keys";
import type { SerializedScheduledChange } from "@/lib/release-rules/firings";
import type { SerializedReleaseRule } from "@/lib/release-rules/rules";
import type { CreateReleaseRuleInput } from "@/lib/validations/release-rules";

// Release rules of a feature and the project's scheduled changes (types from the server serializers).

export type ReleaseRule = SerializedReleaseRule;
export type ScheduledChange = SerializedScheduledChange;

const base = (projectId: number) => `/api/v1/projects/${projectId}`;
const rulesPath = (projectId: number, featureId: number) =>
  `${base(projectId)}/features/${featureId}/release-rules/`;

const releaseRuleKeys = {
  rules: (projectId: number, featureId: number) => ["release-rules", projectId, featureId] as const,
  scheduled: (projectId: number) => ["scheduled-changes", projectId] as const,
};

export function useReleaseRules(projectId: number, featureId: number) {
  return useQuery({
    queryKey: releaseRuleKeys.rules(projectId, featureId),
    queryFn: async ({ signal }) =>
      (await api.get<{ results: ReleaseRule[] }>(rulesPath(projectId, featureId), undefined, signal)).results,
  });
}

export function useScheduledChanges(projectId: number) {
  return useQuery({
    queryKey: releaseRuleKeys.scheduled(projectId),
    queryFn: async ({ signal }) =>
      (
        await api.get<{ results: ScheduledChange[] }>(
          `${base(projectId)}/scheduled-changes/`,
          undefined,
          signal,
        )
      ).results,
  });
}

/** Creating, pausing, deleting rules and cancelling changes: each refreshes rules, schedule and history. */
export function useReleaseRuleMutations(projectId: number, featureId: number) {
  const queryClient = useQueryClient();
  const settle = () => {
    void queryClient.invalidateQueries({ queryKey: releaseRuleKeys.rules(projectId, featureId) });
    void queryClient.invalidateQueries({ queryKey: releaseRuleKeys.scheduled(projectId) });
    void queryClient.invalidateQueries({ queryKey: queryKeys.auditLog.lists(projectId) });
  };
  return {
    create: useMutation({
      mutationFn: (input: CreateReleaseRuleInput) =>
        api.post<ReleaseRule>(rulesPath(projectId, featureId), input),
      onSettled: settle,
    }),
    setPaused: useMutation({
      mutationFn: ({ id, paused }: { id: number; paused: boolean }) =>
        api.patch<ReleaseRule>(`${rulesPath(projectId, featureId)}${id}/`, { paused }),
      onSettled: settle,
    }),
    remove: useMutation({
      mutationFn: (id: number) => api.delete(`${rulesPath(projectId, featureId)}${id}/`),
      onSettled: settle,
    }),
    cancel: useCancelScheduledChange(projectId, settle),
  };
}

export function useCancelScheduledChange(projectId: number, onSettled?: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changeId: number) => api.delete(`${base(projectId)}/scheduled-changes/${changeId}/`),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: releaseRuleKeys.scheduled(projectId) });
      onSettled?.();
    },
  });
}
