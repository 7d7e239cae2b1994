import "server-only";
import type { z } from "zod";
import { Prisma } from "@/lib/generated/prisma/client";
import type { ClaimedJob, JobPayload } from "@/lib/jobs/queue";

// What the job queue runs is registered by the modules that own the work, so lib/jobs knows no
// provider: each job kind's payload schema (checked when a job is enqueued and when it is
// claimed) and handler, and each job group's pause rule. Kinds are defined where their jobs are
// enqueued (defineJobKind, at import); handlers and groups are registered once at boot
// (lib/server/providers.ts). The registry lives on globalThis because Next.js bundles route
// handlers and instrumentation separately.

export type JobHandler<P extends JobPayload = JobPayload> = (job: ClaimedJob<P>) => Promise<void>;
export type JobHandlers = Record<string, JobHandler>;

/** A job kind: its name (stored in jobs.kind) and the schema of its payload (ids only). */
export interface JobKind<P extends JobPayload> {
  readonly name: string;
  readonly payload: z.ZodType<P>;
}

/** A group of jobs that can be paused together (e.g. every job of one GitLab integration). */
export interface JobGroup {
  /** Group keys of this owner look like `${prefix}:<id>`. */
  prefix: string;
  /** A SELECT of the group keys paused right now (one text column), run inside the claim. */
  pausedKeys: Prisma.Sql;
  /** Called when a job of the group failed with a "pause-group" hint. */
  pause(groupKey: string, reason: string): Promise<void>;
  /** Called when a job of the group found the service unreachable (network error, 5xx). */
  markUnreachable(groupKey: string, reason: string): Promise<void>;
  /**
   * Called when the service answered a job of the group. Returns true when the group had been
   * marked unreachable: the queue then makes the group's waiting jobs due at once.
   */
  markReachable(groupKey: string): Promise<boolean>;
}

interface Registry {
  kinds: Map<string, JobKind<JobPayload>>;
  handlers: Map<string, JobHandler>;
  groups: Map<string, JobGroup>;
}

const global = globalThis as unknown as { __flagpostJobRegistry?: Registry };

function registry(): Registry {
  return (global.__flagpostJobRegistry ??= { kinds: new Map(), handlers: new Map(), groups: new Map() });
}

export function defineJobKind<P extends JobPayload>(name: string, payload: z.ZodType<P>): JobKind<P> {
  const kind: JobKind<P> = { name, payload };
  registry().kinds.set(name, kind as unknown as JobKind<JobPayload>);
  return kind;
}

export function registerJobHandler<P extends JobPayload>(kind: JobKind<P>, handler: JobHandler<P>): void {
  registry().kinds.set(kind.name, kind as unknown as JobKind<JobPayload>);
  registry().handlers.set(kind.name, handler as unknown as JobHandler);
}

export function registerJobGroup(group: JobGroup): void {
  registry().groups.set(group.prefix, group);
}

export function registeredJobHandlers(): JobHandlers {
  return Object.fromEntries(registry().handlers);
}

export function jobKindNamed(name: string): JobKind<JobPayload> | undefined {
  return registry().kinds.get(name);
}

export function jobGroupOf(groupKey: string): JobGroup | undefined {
  return registry().groups.get(groupKey.slice(0, groupKey.indexOf(":")));
}

/** The claim's filter: no job of a paused group (true when no group is registered). */
export function notInPausedGroup(groupKeyColumn: Prisma.Sql): Prisma.Sql {
  const groups = [...registry().groups.values()];
  if (groups.length === 0) return Prisma.sql`TRUE`;
  const paused = Prisma.join(
    groups.map((group) => Prisma.sql`(${group.pausedKeys})`),
    " UNION ALL ",
  );
  return Prisma.sql`(${groupKeyColumn} IS NULL OR ${groupKeyColumn} NOT IN (${paused}))`;
}
