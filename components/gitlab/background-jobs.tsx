"use client";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ErrorState } from "@/components/ui/error-state";
import { Section } from "@/components/ui/page-header";
import { TableSkeleton } from "@/components/ui/skeleton";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { toast } from "sonner";
import { formatDateTime, formatRelative } from "@/lib/client/format/dates";
import { errorMessage } from "@/lib/client/queries/api-client";
import { useGitLabFailedJobs, useRetryGitLabJob } from "@/lib/client/queries/use-gitlab-jobs";

/**
 * The work Flagpost does in GitLab behind the scenes (status comments, the "Flagpost" label):
 * how much is waiting, running or failed, and the failed jobs with GitLab's answer and a Retry.
 */
export function BackgroundJobs({
  projectId,
  integrationId,
  tokenInvalid,
}: {
  projectId: number;
  integrationId: number;
  tokenInvalid: boolean;
}) {
  const jobs = useGitLabFailedJobs(projectId, integrationId);
  const retry = useRetryGitLabJob(projectId, integrationId);
  const data = jobs.data;
  const failed = data?.results ?? [];

  const counts = [
    { label: "Waiting", value: data?.counts.pending, testId: "jobs-pending" },
    { label: "Running", value: data?.counts.running, testId: "jobs-running" },
    { label: "Failed", value: data?.counts.failed, testId: "jobs-failed" },
  ];

  return (
    <Section
      title="Background jobs"
      description="Comments and labels Flagpost keeps up to date in GitLab. Failed jobs are retried automatically with backoff first; the ones below gave up."
      actions={
        <Button size="sm" onClick={() => void jobs.refetch()} pending={jobs.isFetching && !jobs.isPending}>
          Refresh
        </Button>
      }
    >
      <div className="space-y-4">
        <dl className="flex flex-wrap gap-x-8 gap-y-2 text-sm">
          {counts.map((count) => (
            <div key={count.label} className="flex gap-2">
              <dt className="text-zinc-600 dark:text-zinc-400">{count.label}</dt>
              <dd
                data-testid={count.testId}
                className={
                  count.label === "Failed" && count.value
                    ? "font-semibold text-red-700 dark:text-red-300"
                    : "font-medium"
                }
              >
                {count.value ?? "…"}
              </dd>
            </div>
          ))}
        </dl>
        {tokenInvalid && !!data?.counts.pending && (
          <p
            role="status"
            className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/50 dark:text-amber-100"
          >
            Waiting jobs are paused until the access token is rotated; they run by themselves once it is.
          </p>
        )}

        {jobs.isPending ? (
          <TableSkeleton rows={2} columns={4} label="Loading background jobs…" />
        ) : jobs.isError ? (
          <ErrorState
            title="Could not load the background jobs"
            error={jobs.error}
            onRetry={() => void jobs.refetch()}
          />
        ) : failed.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">No failed jobs.</p>
        ) : (
          <Table caption="Failed background jobs" className="max-h-[32rem]">
            <THead>
              <tr>
                <TH>Job</TH>
                <TH>Feature and item</TH>
                <TH>Error</TH>
                <TH>Failed</TH>
                <TH>
                  <span className="sr-only">Actions</span>
                </TH>
              </tr>
            </THead>
            <TBody>
              {failed.map((job) => (
                <TR key={job.id} data-testid="failed-job">
                  <TD className="whitespace-nowrap">
                    <div className="flex flex-col items-start gap-1">
                      <span>{job.description}</span>
                      <Badge tone="danger" title={`${job.attempts} of ${job.max_attempts} attempts`}>
                        Failed
                      </Badge>
                    </div>
                  </TD>
                  <TD>
                    <div className="flex flex-col">
                      {job.feature && (
                        <span className="font-medium">
                          {job.feature.name ?? `Deleted feature #${job.feature.id}`}
                        </span>
                      )}
                      {job.item && (
                        <span className="font-mono text-xs text-zinc-600 dark:text-zinc-400">{job.item}</span>
                      )}
                    </div>
                  </TD>
                  <TD className="max-w-md text-xs break-words text-zinc-700 dark:text-zinc-300">
                    {job.last_error ?? "—"}
                  </TD>
                  <TD className="whitespace-nowrap" title={formatDateTime(job.finished_at)}>
                    {formatRelative(job.finished_at)}
                  </TD>
                  <TD className="text-right">
                    <Button
                      size="sm"
                      aria-label={`Retry job ${job.id}`}
                      pending={retry.isPending && retry.variables === job.id}
                      onClick={() =>
                        retry.mutate(job.id, {
                          onSuccess: () => toast.success("Job queued again"),
                          onError: (error) => toast.error(errorMessage(error)),
                        })
                      }
                    >
                      Retry
                    </Button>
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </div>
    </Section>
  );
}
