"use client";

import { CloudOff } from "lucide-react";
import { formatDateTime } from "@/lib/client/format/dates";
import type { GitLabIntegrationConfig } from "@/lib/client/queries/gitlab-types";

/** While GitLab does not answer the integration's jobs: since when, and how much is waiting. */
export function GitLabUnreachableNotice({
  outage,
}: {
  outage: GitLabIntegrationConfig["gitlab_unreachable"];
}) {
  if (!outage) return null;
  const updates = outage.waiting_jobs === 1 ? "1 update" : `${outage.waiting_jobs} updates`;
  return (
    <div
      role="status"
      data-testid="gitlab-unreachable"
      className="flex items-start gap-3 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
    >
      <CloudOff aria-hidden className="mt-0.5 size-4 shrink-0" />
      <p>
        GitLab unreachable since {formatDateTime(outage.since)}, {updates} waiting. They are retried and go
        out as soon as GitLab answers again.
      </p>
    </div>
  );
}
