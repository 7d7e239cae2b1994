"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useQuery } from "@/lib/client/queries/hydration-safe-query";
import { api } from "@/lib/client/queries/api-client";
import type { IntegrationJobs } from "@/lib/client/queries/gitlab-types";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";

/** The integration's job counts and its latest failed jobs; polled, since jobs move by themselves. */
export function useGitLabFailedJobs(projectId: number, integrationId: number) {
  return useQuery({
    queryKey: queryKeys.gitlab.jobs(projectId, integrationId),
    queryFn: ({ signal }) =>
      api.get<IntegrationJobs>(paths.gitlabJobs(projectId, integrationId), { status: "failed" }, signal),
    refetchInterval: 5_000,
  });
}

/** "Retry" on a failed job. */
export function useRetryGitLabJob(projectId: number, integrationId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (jobId: number) =>
      api.post<void>(paths.gitlabJobRetry(projectId, integrationId, jobId), undefined),
    onSettled: () =>
      queryClient.invalidateQueries({ queryKey: queryKeys.gitlab.jobs(projectId, integrationId) }),
  });
}
