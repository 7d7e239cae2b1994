import "server-only";
import { integrationJobGroup } from "@/lib/gitlab/integration/job-group";
import { ApiError, notFound } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/actor";
import { requireProjectRole } from "@/lib/auth/permissions";
import { prisma } from "@/lib/db/client";
import type { Job, JobStatus } from "@/lib/generated/prisma/client";
import { requireLiveIntegration } from "@/lib/gitlab/integration/integrations";
import { shortReference } from "@/lib/gitlab/links/item-reference";
import { ITEM_LABEL_JOB } from "@/lib/gitlab/links/link-labels";
import { kindOfType } from "@/lib/gitlab/links/link-metadata";
import { STATUS_NOTE_JOB } from "@/lib/gitlab/notes/status-note-outbox";
import { retryFailedJob } from "@/lib/jobs/queue";
import type { IntegrationJobFilters } from "@/lib/validations/gitlab";

// The Background jobs panel of a GitLab integration (project admins): how much work is waiting,
// running or failed, the latest jobs with their error, and "Retry" for a failed one. Jobs hold ids
// only and their errors are GitLab's answers, so nothing here can carry a token; token-shaped
// text is masked all the same, should a message ever quote one.

const PANEL_SIZE = 100;

const KIND_LABELS: Record<string, string> = {
  [STATUS_NOTE_JOB]: "Status comment",
  [ITEM_LABEL_JOB]: "Flagpost label",
};

const STATUS_OF: Record<IntegrationJobFilters["status"] & string, JobStatus> = {
  pending: "PENDING",
  running: "RUNNING",
  failed: "FAILED",
  succeeded: "SUCCEEDED",
};

/** GitLab token prefixes (personal, OAuth, runner, deploy, feed…) followed by their secret part. */
const TOKEN_SHAPED = /\bgl[a-z]{2,6}-[A-Za-z0-9_.-]{8,}/g;
export const maskTokens = (text: string) => text.replace(TOKEN_SHAPED, "[token]");

interface JobTarget {
  featureId: number | null;
  gitlabProjectId: number | null;
  type: "GITLAB_ISSUE" | "GITLAB_MR" | null;
  iid: number | null;
}

function targetOf(job: Job): JobTarget {
  const payload = (job.payload ?? {}) as Record<string, unknown>;
  const int = (value: unknown) => (typeof value === "number" ? value : null);
  const type = payload.type === "GITLAB_ISSUE" || payload.type === "GITLAB_MR" ? payload.type : null;
  return {
    featureId: int(payload.featureId),
    gitlabProjectId: int(payload.gitlabProjectId),
    type,
    iid: int(payload.iid),
  };
}

/** Names for the panel: features by id, GitLab projects by id (from the links that name them). */
async function describeTargets(targets: JobTarget[]) {
  const featureIds = [...new Set(targets.flatMap((t) => (t.featureId === null ? [] : [t.featureId])))];
  const projectIds = [
    ...new Set(targets.flatMap((t) => (t.gitlabProjectId === null ? [] : [t.gitlabProjectId]))),
  ];
  const [features, paths] = await Promise.all([
    featureIds.length
      ? prisma.feature.findMany({ where: { id: { in: featureIds } }, select: { id: true, name: true } })
      : [],
    projectIds.length
      ? prisma.externalResource.findMany({
          where: { gitlabProjectId: { in: projectIds } },
          distinct: ["gitlabProjectId"],
          select: { gitlabProjectId: true, gitlabProjectPath: true },
        })
      : [],
  ]);
  return {
    featureName: new Map(features.map((row) => [row.id, row.name])),
    projectPath: new Map(paths.map((row) => [row.gitlabProjectId, row.gitlabProjectPath])),
  };
}

export async function listIntegrationJobs(
  actor: Actor,
  projectId: number,
  integrationId: number,
  filters: IntegrationJobFilters,
) {
  await requireProjectRole(actor, projectId, "ADMIN");
  await requireLiveIntegration(prisma, projectId, integrationId);
  const [counts, rows] = await Promise.all([
    prisma.job.groupBy({
      by: ["status"],
      where: { groupKey: integrationJobGroup(integrationId) },
      _count: { _all: true },
    }),
    prisma.job.findMany({
      where: {
        groupKey: integrationJobGroup(integrationId),
        ...(filters.status ? { status: STATUS_OF[filters.status] } : {}),
      },
      orderBy: { id: "desc" },
      take: PANEL_SIZE,
    }),
  ]);
  const count = (status: JobStatus) => counts.find((row) => row.status === status)?._count._all ?? 0;
  const targets = rows.map(targetOf);
  const names = await describeTargets(targets);
  return {
    counts: { pending: count("PENDING"), running: count("RUNNING"), failed: count("FAILED") },
    results: rows.map((job, index) => {
      const target = targets[index]!;
      const path =
        target.gitlabProjectId === null ? undefined : names.projectPath.get(target.gitlabProjectId);
      const item =
        target.type && target.iid !== null
          ? `${path ?? `GitLab project ${target.gitlabProjectId} `}${shortReference(kindOfType(target.type), target.iid)}`
          : null;
      return {
        id: Number(job.id),
        kind: job.kind,
        description: KIND_LABELS[job.kind] ?? job.kind,
        status: job.status,
        attempts: job.attempts,
        max_attempts: job.maxAttempts,
        last_error: job.lastError === null ? null : maskTokens(job.lastError),
        feature:
          target.featureId === null
            ? null
            : { id: target.featureId, name: names.featureName.get(target.featureId) ?? null },
        item,
        run_at: job.runAt.toISOString(),
        created_at: job.createdAt.toISOString(),
        finished_at: job.finishedAt?.toISOString() ?? null,
      };
    }),
  };
}

/** "Retry" on a failed job of this integration: due again at once, with fresh attempts. */
export async function retryIntegrationJob(
  actor: Actor,
  projectId: number,
  integrationId: number,
  jobId: number,
): Promise<void> {
  await requireProjectRole(actor, projectId, "ADMIN");
  await requireLiveIntegration(prisma, projectId, integrationId);
  const job = await prisma.job.findFirst({
    where: { id: BigInt(jobId), groupKey: integrationJobGroup(integrationId) },
    select: { id: true, status: true },
  });
  if (!job) throw notFound("Job");
  if (!(await retryFailedJob(job.id)))
    throw new ApiError(
      "conflict",
      `Only failed jobs can be retried; this one is ${job.status.toLowerCase()}.`,
    );
}
