import "server-only";
import os from "node:os";
import { randomBytes } from "node:crypto";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { failureHintOf } from "@/lib/jobs/errors";
import {
  claimJobs,
  completeJob,
  extendLease,
  failJob,
  makeWaitingJobsDue,
  releaseJob,
  type ClaimedJob,
} from "@/lib/jobs/queue";
import { jobGroupOf, jobKindNamed, registeredJobHandlers, type JobHandlers } from "@/lib/jobs/registry";
import { decideRetry, describeError } from "@/lib/jobs/retry-policy";

// Drains due jobs: claim a batch, run each handler (a few at a time), then record success, a
// scheduled retry, a paused group or a failure. Safe to run in many processes at once: while a
// handler runs, a heartbeat keeps extending its job's lease, so however slow the service, no other
// worker takes the job for a crashed one.

export type { JobHandlers } from "@/lib/jobs/registry";

export function newWorkerId(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
}

export interface DrainOptions {
  /** Default: the handlers registered at boot (lib/jobs/registry.ts). */
  handlers?: JobHandlers;
  workerId?: string;
  batchSize?: number;
  /** Jobs run in parallel within a batch (GitLab calls overlap; database work is short). */
  parallelism?: number;
  /** Stop claiming new batches after this long. */
  budgetMs?: number;
  /** Default FLAGPOST_JOB_LEASE_MS. */
  leaseMs?: number;
  /** Stop claiming new batches once aborted (a worker shutting down finishes what it holds). */
  signal?: AbortSignal;
}

export interface DrainResult {
  succeeded: number;
  retried: number;
  failed: number;
  paused: number;
}

/** How often a running job's lease is extended: three beats per lease, so one late beat is harmless. */
const HEARTBEATS_PER_LEASE = 3;

/** Keeps extending the job's lease until stopped. */
function startHeartbeat(job: ClaimedJob, workerId: string, leaseMs: number): () => void {
  const beat = setInterval(() => {
    extendLease(job.id, workerId, leaseMs).then(
      (held) => {
        if (!held) logger.warn("Job lease lost while running", { job: Number(job.id), kind: job.kind });
      },
      (error: unknown) => logger.warn("Job heartbeat failed", { job: Number(job.id), error }),
    );
  }, leaseMs / HEARTBEATS_PER_LEASE);
  beat.unref();
  return () => clearInterval(beat);
}

/** The service answered (success, or an answer that is not an outage): end the group's outage. */
async function noteServiceAnswered(groupKey: string | null) {
  const group = groupKey ? jobGroupOf(groupKey) : undefined;
  if (!group || !groupKey) return;
  if (await group.markReachable(groupKey)) {
    const due = await makeWaitingJobsDue(groupKey);
    logger.info("Job group reachable again", { group: groupKey, jobsMadeDue: due });
  }
}

async function runOne(
  job: ClaimedJob,
  workerId: string,
  handlers: JobHandlers,
  result: DrainResult,
  leaseMs: number,
) {
  const handler = handlers[job.kind];
  if (!handler) {
    await failJob(job.id, workerId, `No handler for job kind "${job.kind}"`);
    result.failed++;
    return;
  }
  const parsed = jobKindNamed(job.kind)?.payload.safeParse(job.payload);
  if (parsed && !parsed.success) {
    await failJob(job.id, workerId, `Malformed ${job.kind} payload: ${JSON.stringify(job.payload)}`);
    result.failed++;
    return;
  }
  const stopHeartbeat = startHeartbeat(job, workerId, leaseMs);
  let failure: { error: unknown } | null = null;
  try {
    await handler(parsed ? { ...job, payload: parsed.data } : job);
  } catch (error) {
    failure = { error };
  } finally {
    stopHeartbeat();
  }
  if (!failure) {
    await completeJob(job.id, workerId);
    result.succeeded++;
    await noteServiceAnswered(job.groupKey);
  } else {
    await recordFailure(job, workerId, failure.error, result);
  }
}

async function recordFailure(job: ClaimedJob, workerId: string, error: unknown, result: DrainResult) {
  const group = job.groupKey ? jobGroupOf(job.groupKey) : undefined;
  // Jobs of a registered group wait an outage out; the group's owner deletes them with it.
  const decision = decideRetry(
    error,
    job.attempts,
    job.maxAttempts,
    Math.random,
    group ? { outageRetries: job.outageRetries } : undefined,
  );
  const message = describeError(error);
  const pendingKey = job.coalesces ? job.concurrencyKey : null;
  const hint = failureHintOf(error).kind;
  if (hint === "unreachable" && group && job.groupKey) await group.markUnreachable(job.groupKey, message);
  else if (hint !== "transient") await noteServiceAnswered(job.groupKey);
  if (decision.action === "fail") {
    await failJob(job.id, workerId, message);
    result.failed++;
    logger.warn("Job failed", {
      job: Number(job.id),
      kind: job.kind,
      attempts: job.attempts,
      error: message,
    });
  } else if (decision.action === "pause-group" && job.groupKey && jobGroupOf(job.groupKey)) {
    await jobGroupOf(job.groupKey)!.pause(job.groupKey, decision.reason);
    await releaseJob(job.id, workerId, { countAttempt: false, error: message, pendingKey });
    result.paused++;
    logger.warn("Job group paused", { group: job.groupKey, reason: decision.reason });
  } else {
    const delayMs = decision.action === "retry" ? decision.delayMs : 60_000;
    const countAttempt = decision.action === "retry" ? decision.countAttempt : true;
    const outage = decision.action === "retry" && decision.outage === true;
    await releaseJob(job.id, workerId, { delayMs, error: message, countAttempt, pendingKey, outage });
    result.retried++;
  }
}

export async function drainJobs(options: DrainOptions): Promise<DrainResult> {
  const workerId = options.workerId ?? newWorkerId();
  const deadline = Date.now() + (options.budgetMs ?? 25_000);
  const result: DrainResult = { succeeded: 0, retried: 0, failed: 0, paused: 0 };
  const handlers = options.handlers ?? registeredJobHandlers();
  const leaseMs = options.leaseMs ?? env().FLAGPOST_JOB_LEASE_MS;
  while (Date.now() < deadline && !options.signal?.aborted) {
    const batch = await claimJobs(workerId, options.batchSize ?? 20, leaseMs);
    if (batch.length === 0) break;
    const queue = [...batch];
    const lanes = Array.from({ length: Math.min(options.parallelism ?? 4, queue.length) }, async () => {
      for (let job = queue.shift(); job; job = queue.shift())
        await runOne(job, workerId, handlers, result, leaseMs);
    });
    await Promise.all(lanes);
  }
  return result;
}
