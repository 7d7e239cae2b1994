"use client";

import { useQuery } from "@/lib/client/queries/hydration-safe-query";
import { api } from "@/lib/client/queries/api-client";
import type { WebhookDeliveries } from "@/lib/client/queries/gitlab-types";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";

/** The latest webhook deliveries of an integration; polled so a "Test" sent from GitLab shows up by itself. */
export function useGitLabWebhookDeliveries(projectId: number, integrationId: number) {
  return useQuery({
    queryKey: queryKeys.gitlab.webhookDeliveries(projectId, integrationId),
    queryFn: ({ signal }) =>
      api.get<WebhookDeliveries>(paths.gitlabWebhookDeliveries(projectId, integrationId), undefined, signal),
    refetchInterval: 5_000,
  });
}
