import "server-only";
import type { Db } from "@/lib/db/types";
import { now as clockNow } from "@/lib/clock";
import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { Prisma } from "@/lib/generated/prisma/client";
import { kickJobsAfterResponse } from "@/lib/jobs/kick";
import { jobKindNamed, notInPausedGroup } from "@/lib/jobs/registry";

// A durable job queue in the application database (an outbox). Work is enqueued in the same
// transaction as the change it follows, so a committed change always has its job and a rolled-back
// one never does. Workers claim due jobs with `FOR UPDATE SKIP LOCKED` and a lease, so several app
// instances sharing one PostgreSQL never run a job twice at once, and a crashed worker's jobs are
// picked up again when the lease runs out; a worker extends the lease of the jobs it holds while
// they run (heartbeat), so a slow job is never taken for a crashed one.
//
// Time is Flagpost's clock (lib/clock.ts), not the database's: a test moving the test clock
// forward makes backoffs and leases run out without waiting.

/** The current time as an SQL value (the test clock's, when one is set). */
function sqlNow(): Prisma.Sql {
  return Prisma.sql`${clockNow()}::timestamptz`;
}

export type JobPayload = Record<string, string | number | boolean | null>;

export interface EnqueueOptions {
  kind: string;
  /** Ids only: never tokens or other secrets. */
  payload: JobPayload;
  projectId?: number | null;
  /** Jobs of a paused group wait until its owner lifts the pause (lib/jobs/registry.ts). */
  groupKey?: string | null;
  /**
   * Jobs with the same key never run concurrently. With `coalesce`, enqueueing while a job with
   * this key is still pending merges into it (burst coalescing) instead of adding another.
   */
  concurrencyKey?: string | null;
  coalesce?: boolean;
  /** Run no earlier than this many milliseconds from now (default: at once, or the debounce). */
  delayMs?: number;
  maxAttempts?: number;
}

/** How long coalesced jobs wait for more changes, and the longest a burst can postpone them. */
function debounceWindow() {
  const debounceMs = env().FLAGPOST_JOB_DEBOUNCE_MS;
  return { debounceMs, maxWaitMs: Math.max(debounceMs * 10, 10_000) };
}

/**
 * The payload as its kind's schema reads it. A wrong payload is our bug, not the caller's input:
 * a plain Error (a 500 that rolls the change back), never a ZodError the API would call a 400.
 */
function checkedPayload(kind: string, payload: JobPayload): JobPayload {
  const definition = jobKindNamed(kind);
  if (!definition) throw new Error(`Unknown job kind "${kind}": define it with defineJobKind`);
  const parsed = definition.payload.safeParse(payload);
  if (!parsed.success) throw new Error(`Invalid payload for job kind "${kind}": ${parsed.error.message}`);
  return parsed.data;
}

export function enqueueJob(db: Db, options: EnqueueOptions): Promise<void> {
  return enqueueJobs(db, [options]);
}

/**
 * Enqueues several jobs in one statement (a flag linked to a hundred items queues a hundred
 * jobs inside the change's transaction). A coalescing key listed twice keeps its last entry.
 */
export async function enqueueJobs(db: Db, jobs: EnqueueOptions[]): Promise<void> {
  const { debounceMs, maxWaitMs } = debounceWindow();
  const byPendingKey = new Map<string, EnqueueOptions>();
  const unkeyed: EnqueueOptions[] = [];
  for (const job of jobs) {
    if (job.coalesce && job.concurrencyKey) byPendingKey.set(job.concurrencyKey, job);
    else unkeyed.push(job);
  }
  const rows = [...unkeyed, ...byPendingKey.values()].map((options) => ({
    ...options,
    payload: checkedPayload(options.kind, options.payload),
  }));
  if (rows.length === 0) return;
  const at = sqlNow();
  const values = rows.map((options) => {
    const delayMs = options.delayMs ?? (options.coalesce ? debounceMs : 0);
    const pendingKey = options.coalesce && options.concurrencyKey ? options.concurrencyKey : null;
    return Prisma.sql`(${options.kind}, ${JSON.stringify(options.payload)}::jsonb, ${options.projectId ?? null}::int, ${options.groupKey ?? null}::text,
            ${pendingKey}::text, ${options.concurrencyKey ?? null}::text, ${at} + make_interval(secs => ${delayMs / 1000}::float8), ${at},
            ${options.maxAttempts ?? 8}::int, ${at})`;
  });
  // A repeat within the window pushes the run time back (trailing debounce), but never past
  // maxWait after the first enqueue, so a flag toggled continuously still gets its update.
  await db.$executeRaw`
    INSERT INTO jobs (kind, payload, project_id, group_key, pending_key, concurrency_key, run_at,
                      first_queued_at, max_attempts, updated_at)
    VALUES ${Prisma.join(values)}
    ON CONFLICT (pending_key) DO UPDATE SET
      run_at = LEAST(GREATEST(jobs.run_at, EXCLUDED.run_at),
                     jobs.first_queued_at + make_interval(secs => ${maxWaitMs / 1000}::float8)),
      payload = EXCLUDED.payload,
      updated_at = ${at}`;
  // Only requests that queued work wake the worker (if the change rolls back, it finds nothing due).
  kickJobsAfterResponse();
}

export interface ClaimedJob<P extends JobPayload = JobPayload> {
  id: bigint;
  kind: string;
  payload: P;
  projectId: number | null;
  groupKey: string | null;
  concurrencyKey: string | null;
  attempts: number;
  maxAttempts: number;
  /** Earlier tries that found the service unreachable (they drive the outage backoff). */
  outageRetries: number;
  coalesces: boolean;
}

interface ClaimedRow {
  id: bigint;
  kind: string;
  payload: JobPayload;
  project_id: number | null;
  group_key: string | null;
  concurrency_key: string | null;
  attempts: number;
  max_attempts: number;
  outage_retries: number;
  was_pending_key: string | null;
}

/**
 * Claims up to `limit` due jobs for `workerId`. Due means pending with run_at reached, or running
 * under a lease that expired (its worker died). Skips jobs of paused groups and jobs whose
 * concurrency key is held by another live lease or by an older crashed job.
 */
export async function claimJobs(workerId: string, limit: number, leaseMs: number): Promise<ClaimedJob[]> {
  const at = sqlNow();
  const rows = await prisma.$queryRaw<ClaimedRow[]>`
    WITH candidate AS (
      SELECT j.id, j.pending_key
      FROM jobs j
      WHERE ((j.status = 'PENDING' AND j.run_at <= ${at})
             OR (j.status = 'RUNNING' AND j.locked_until < ${at}))
        AND ${notInPausedGroup(Prisma.sql`j.group_key`)}
        AND (j.concurrency_key IS NULL OR NOT EXISTS (
              SELECT 1 FROM jobs r
              WHERE r.concurrency_key = j.concurrency_key AND r.id <> j.id
                AND r.status = 'RUNNING'
                -- A crashed job (expired lease) goes before newer jobs with its key: otherwise one
                -- worker could reclaim it while another claims the newer one, and both would run.
                AND (r.locked_until >= ${at} OR r.id < j.id)))
      ORDER BY j.run_at, j.id
      LIMIT ${limit}
      FOR UPDATE OF j SKIP LOCKED
    )
    UPDATE jobs SET status = 'RUNNING', locked_by = ${workerId},
                    locked_until = ${at} + make_interval(secs => ${leaseMs / 1000}),
                    attempts = jobs.attempts + 1, pending_key = NULL, updated_at = ${at}
    FROM candidate
    WHERE jobs.id = candidate.id
    RETURNING jobs.id, jobs.kind, jobs.payload, jobs.project_id, jobs.group_key, jobs.concurrency_key,
              jobs.attempts, jobs.max_attempts, jobs.outage_retries, candidate.pending_key AS was_pending_key`;
  // Two due jobs sharing a concurrency key can land in one batch (the check above sees only other
  // workers' leases): keep the oldest, hand the rest back.
  const seen = new Set<string>();
  const claimed: ClaimedJob[] = [];
  for (const row of rows.sort((a, b) => (a.id < b.id ? -1 : 1))) {
    if (row.concurrency_key && seen.has(row.concurrency_key)) {
      await releaseJob(row.id, workerId, { countAttempt: false, pendingKey: row.was_pending_key });
      continue;
    }
    if (row.concurrency_key) seen.add(row.concurrency_key);
    claimed.push({
      id: row.id,
      kind: row.kind,
      payload: row.payload,
      projectId: row.project_id,
      groupKey: row.group_key,
      concurrencyKey: row.concurrency_key,
      attempts: row.attempts,
      maxAttempts: row.max_attempts,
      outageRetries: row.outage_retries,
      coalesces: row.was_pending_key !== null,
    });
  }
  return claimed;
}

export async function completeJob(id: bigint, workerId: string): Promise<void> {
  const at = sqlNow();
  await prisma.$executeRaw`
    UPDATE jobs SET status = 'SUCCEEDED', finished_at = ${at}, locked_by = NULL, locked_until = NULL,
                    last_error = NULL, updated_at = ${at}
    WHERE id = ${id} AND locked_by = ${workerId} AND status = 'RUNNING'`;
}

export async function failJob(id: bigint, workerId: string, error: string): Promise<void> {
  const at = sqlNow();
  await prisma.$executeRaw`
    UPDATE jobs SET status = 'FAILED', finished_at = ${at}, locked_by = NULL, locked_until = NULL,
                    last_error = ${error.slice(0, 2000)}, updated_at = ${at}
    WHERE id = ${id} AND locked_by = ${workerId} AND status = 'RUNNING'`;
}

/**
 * The heartbeat of a running job: its lease runs `leaseMs` from now again. False when the job is
 * no longer this worker's (its lease ran out and another worker took it, or it was cancelled).
 */
export async function extendLease(id: bigint, workerId: string, leaseMs: number): Promise<boolean> {
  const at = sqlNow();
  const updated = await prisma.$executeRaw`
    UPDATE jobs SET locked_until = ${at} + make_interval(secs => ${leaseMs / 1000})
    WHERE id = ${id} AND locked_by = ${workerId} AND status = 'RUNNING'`;
  return updated > 0;
}

/** After an outage: the group's jobs that were waiting it out are due at once. */
export async function makeWaitingJobsDue(groupKey: string): Promise<number> {
  const at = sqlNow();
  return prisma.$executeRaw`
    UPDATE jobs SET run_at = LEAST(run_at, ${at}), outage_retries = 0, updated_at = ${at}
    WHERE group_key = ${groupKey} AND status = 'PENDING' AND outage_retries > 0`;
}

/**
 * Removes every job of a group, whatever its state, in the caller's transaction: its owner is
 * being deleted, and nothing in the queue may outlive it. A worker still running one of them
 * finds its row gone and records nothing.
 */
export function deleteGroupJobs(db: Db, groupKey: string): Promise<number> {
  return db.$executeRaw`DELETE FROM jobs WHERE group_key = ${groupKey}`;
}

/**
 * Puts a claimed job back to pending, to run after `delayMs`. A coalescing job takes its key back
 * unless a newer job with that key was queued meanwhile; that newer job does the same work with
 * fresher data, so this one is finished as superseded.
 */
export async function releaseJob(
  id: bigint,
  workerId: string,
  options: {
    delayMs?: number;
    error?: string;
    countAttempt?: boolean;
    pendingKey?: string | null;
    /** The try found the service unreachable (counted apart from attempts). */
    outage?: boolean;
  },
): Promise<"rescheduled" | "superseded"> {
  const at = sqlNow();
  const outage = options.outage ? 1 : 0;
  const delaySeconds = (options.delayMs ?? 0) / 1000;
  const uncount = options.countAttempt === false ? 1 : 0;
  const error = options.error?.slice(0, 2000) ?? null;
  return prisma.$transaction(async (tx) => {
    if (options.pendingKey) {
      const newer = await tx.job.findUnique({
        where: { pendingKey: options.pendingKey },
        select: { id: true },
      });
      if (newer) {
        await tx.$executeRaw`
          UPDATE jobs SET status = 'SUCCEEDED', finished_at = ${at}, locked_by = NULL, locked_until = NULL,
                          last_error = ${`superseded by job ${newer.id}`}, updated_at = ${at}
          WHERE id = ${id} AND locked_by = ${workerId} AND status = 'RUNNING'`;
        return "superseded" as const;
      }
    }
    await tx.$executeRaw`
      UPDATE jobs SET status = 'PENDING', locked_by = NULL, locked_until = NULL,
                      run_at = ${at} + make_interval(secs => ${delaySeconds}),
                      attempts = GREATEST(0, attempts - ${uncount}), pending_key = ${options.pendingKey ?? null},
                      outage_retries = CASE WHEN ${outage}::int = 1 THEN outage_retries + 1 ELSE 0 END,
                      last_error = COALESCE(${error}, last_error), updated_at = ${at}
      WHERE id = ${id} AND locked_by = ${workerId} AND status = 'RUNNING'`;
    return "rescheduled" as const;
  });
}

/** Makes a failed job due again (the "Retry" button). */
export async function retryFailedJob(id: bigint): Promise<boolean> {
  const updated = await prisma.$executeRaw`
    UPDATE jobs SET status = 'PENDING', attempts = 0, outage_retries = 0, run_at = ${clockNow()}::timestamptz,
                    finished_at = NULL, updated_at = ${clockNow()}::timestamptz
    WHERE id = ${id} AND status = 'FAILED'`;
  return updated > 0;
}

/** Deletes finished jobs: successes after a week, failures after a month. */
export async function pruneJobs(now: Date = clockNow()): Promise<number> {
  const week = new Date(now.getTime() - 7 * 24 * 3600_000);
  const month = new Date(now.getTime() - 30 * 24 * 3600_000);
  const { count } = await prisma.job.deleteMany({
    where: {
      OR: [
        { status: "SUCCEEDED", finishedAt: { lt: week } },
        { status: "FAILED", finishedAt: { lt: month } },
      ],
    },
  });
  return count;
}

/** Milliseconds until the next pending job is due (null when none is queued). */
export async function msUntilNextDueJob(): Promise<number | null> {
  // GREATEST ignores NULLs: without the CASE an empty queue would read "due now" and the worker
  // would poll it in a tight loop.
  const rows = await prisma.$queryRaw<{ wait_ms: number | null }[]>`
    SELECT CASE WHEN min(run_at) IS NULL THEN NULL
      ELSE GREATEST(0, EXTRACT(EPOCH FROM (min(run_at) - ${clockNow()}::timestamptz)) * 1000)::float8 END AS wait_ms
    FROM jobs WHERE status = 'PENDING'`;
  const wait = rows[0]?.wait_ms;
  return wait === null || wait === undefined ? null : Math.ceil(wait);
}
