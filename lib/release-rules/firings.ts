import "server-only";
import { z } from "zod";
import { ApiError, notFound } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/actor";
import { requireProjectRole } from "@/lib/auth/permissions";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { prisma } from "@/lib/db/client";
import type { Db } from "@/lib/db/types";
import { applyFeatureStateChange } from "@/lib/flags/feature-states";
import { Prisma, type ReleaseRuleFiring, type ReleaseTrigger } from "@/lib/generated/prisma/client";
import { enqueueJobs } from "@/lib/jobs/queue";
import { defineJobKind } from "@/lib/jobs/registry";
import {
  actionName,
  describeRule,
  itemLabel,
  requireMayRuleEnvironments,
  ruleValue,
  withEnvironments,
} from "@/lib/release-rules/rules";

// Firing a release rule and carrying it out. A provider (lib/gitlab) calls fireReleaseRules inside
// the transaction that records the item's state transition; each matching rule gets one firing row
// per (rule, transition) — a unique key, so a replayed or duplicated event inserts nothing — and
// one job due after the rule's delay (durable: a crash or restart in between loses nothing). The
// job applies the change through lib/flags like the UI does, under a lock on the firing, so a job
// run twice (crash between commit and "done") changes nothing twice. A cancelled firing, a paused
// or deleted rule make the job a no-op.

export const APPLY_FIRING_JOB = "release-rules.apply-firing";
export const applyFiringJob = defineJobKind(APPLY_FIRING_JOB, z.object({ firingId: z.number().int() }));

export interface ItemTransition {
  /** The links (external_resources ids) whose item changed state. */
  linkIds: number[];
  /** The rule triggers this transition satisfies. */
  triggers: ReleaseTrigger[];
  /** Identifies the transition: a firing exists at most once per rule and key. */
  transitionKey: string;
  /** Who and what caused it, for the audit log: "MR !34 merged by @alice in GitLab". */
  cause: string;
  /** The Flagpost user linked to whoever caused it (never a permission, only attribution). */
  actorUserId?: number | null;
}

interface FiredRow {
  id: number;
  rule_id: number;
  project_id: number;
  feature_id: number;
  delay_seconds: number;
}

/** Fires the active rules matching the transition, in the caller's transaction. Returns the firings made. */
export async function fireReleaseRules(db: Db, transition: ItemTransition): Promise<number> {
  if (transition.linkIds.length === 0 || transition.triggers.length === 0) return 0;
  const triggers = transition.triggers.map((trigger) => Prisma.sql`${trigger}::"ReleaseTrigger"`);
  const fired = await db.$queryRaw<FiredRow[]>`
    INSERT INTO release_rule_firings (rule_id, project_id, feature_id, transition_key, cause, actor_user_id, run_at)
    SELECT r.id, r.project_id, r.feature_id, ${transition.transitionKey}, ${transition.cause},
           ${transition.actorUserId ?? null}::int,
           now() + make_interval(secs => r.delay_seconds)
    FROM release_rules r
    WHERE r.external_resource_id = ANY(${transition.linkIds}::int[]) AND r.trigger IN (${Prisma.join(triggers)})
      AND NOT r.paused
    ORDER BY r.id
    ON CONFLICT (rule_id, transition_key) DO NOTHING
    RETURNING id, rule_id, project_id, feature_id,
              (SELECT delay_seconds FROM release_rules WHERE id = rule_id) AS delay_seconds`;
  if (fired.length === 0) return 0;
  const project = await db.project.findUniqueOrThrow({
    where: { id: fired[0]!.project_id },
    select: { organisationId: true },
  });
  // A delayed change is announced in the history (and so on the item's status note) right away.
  for (const row of fired.filter((firing) => firing.delay_seconds > 0)) {
    await recordAudit(
      db,
      { kind: "system", label: transition.cause, userId: transition.actorUserId ?? null },
      {
        organisationId: project.organisationId,
        projectId: row.project_id,
        featureId: row.feature_id,
        action: "UPDATE",
        entityType: "release_rule",
        entityId: row.rule_id,
        summary: `Release rule #${row.rule_id} scheduled its change (scheduled change #${row.id})`,
      },
    );
  }
  await enqueueJobs(
    db,
    fired.map((row) => ({
      kind: APPLY_FIRING_JOB,
      payload: { firingId: row.id },
      projectId: row.project_id,
      concurrencyKey: `release-firing:${row.id}`,
      delayMs: row.delay_seconds * 1000,
      maxAttempts: 12,
    })),
  );
  return fired.length;
}

async function finish(db: Db, firingId: number, status: "DONE" | "SKIPPED", reason: string | null) {
  await db.releaseRuleFiring.update({
    where: { id: firingId },
    data: { status, reason, finishedAt: new Date() },
  });
}

/** The job: applies one firing's change in every environment of its rule, once. */
export async function applyReleaseFiring(job: { payload: { firingId: number } }): Promise<void> {
  const { firingId } = job.payload;
  await prisma.$transaction(async (tx) => {
    const [firing] = await tx.$queryRaw<
      Pick<ReleaseRuleFiring, "ruleId" | "status" | "cause" | "actorUserId">[]
    >`
      SELECT rule_id AS "ruleId", status, cause, actor_user_id AS "actorUserId"
      FROM release_rule_firings WHERE id = ${firingId} FOR UPDATE`;
    // Gone with its rule, cancelled, or already applied by an earlier run of this job.
    if (!firing || firing.status !== "PENDING") return;
    const found = await tx.releaseRule.findUnique({
      where: { id: firing.ruleId },
      include: {
        firings: { where: { id: -1 } },
        feature: { select: { id: true, archivedAt: true, project: { select: { organisationId: true } } } },
      },
    });
    if (!found) return;
    if (found.paused) return finish(tx, firingId, "SKIPPED", "The rule was paused before its change was due");
    if (found.feature.archivedAt) return finish(tx, firingId, "SKIPPED", "The feature is archived");
    const [rule] = await withEnvironments(tx, [found]);
    const actor: AuditActor = {
      kind: "system",
      label: `rule #${found.id}: ${firing.cause}`,
      userId: firing.actorUserId,
    };
    const input =
      found.action === "SET_VALUE"
        ? { feature_state_value: ruleValue(found) ?? null }
        : { enabled: found.action === "ENABLE" };
    for (const environment of rule!.environments) {
      const state = await tx.featureState.findUnique({
        where: { featureId_environmentId: { featureId: found.featureId, environmentId: environment.id } },
        select: { id: true },
      });
      if (!state) continue;
      await applyFeatureStateChange(
        tx,
        actor,
        {
          organisationId: found.feature.project.organisationId,
          projectId: found.projectId,
          environmentId: environment.id,
        },
        state.id,
        input,
      );
    }
    await finish(tx, firingId, "DONE", null);
  });
}

export function serializeScheduledChange(row: ScheduledChange) {
  return {
    id: row.id,
    rule: row.ruleId,
    feature: row.featureId,
    feature_name: row.featureName,
    external_resource: row.externalResourceId,
    item: row.itemLabel,
    action: row.action,
    value: row.value ?? null,
    environments: row.environments.map((environment) => environment.apiKey),
    environment_names: row.environments.map((environment) => environment.name),
    cause: row.cause,
    run_at: row.runAt.toISOString(),
    description: row.description,
  };
}
export type SerializedScheduledChange = ReturnType<typeof serializeScheduledChange>;

export interface ScheduledChange {
  id: number;
  ruleId: number;
  featureId: number;
  featureName: string;
  externalResourceId: number;
  itemLabel: string;
  action: ReturnType<typeof actionName>;
  value: ReturnType<typeof ruleValue>;
  environments: { id: number; name: string; apiKey: string; protected: boolean }[];
  cause: string;
  runAt: Date;
  description: string;
}

/** Pending firings of the project (optionally one feature's), soonest first. */
async function pendingChanges(
  db: Db,
  where: { projectId: number; featureId?: number },
): Promise<ScheduledChange[]> {
  const firings = await db.releaseRuleFiring.findMany({
    where: { projectId: where.projectId, featureId: where.featureId, status: "PENDING" },
    orderBy: [{ runAt: "asc" }, { id: "asc" }],
    take: 500,
    include: {
      rule: {
        include: {
          firings: { where: { id: -1 } },
          feature: { select: { name: true } },
          externalResource: { select: { type: true, iid: true } },
        },
      },
    },
  });
  const rules = await withEnvironments(
    db,
    firings.map((firing) => firing.rule),
  );
  return firings.map((firing, index) => {
    const rule = rules[index]!;
    const label = itemLabel(firing.rule.externalResource);
    return {
      id: firing.id,
      ruleId: rule.id,
      featureId: rule.featureId,
      featureName: firing.rule.feature.name,
      externalResourceId: rule.externalResourceId,
      itemLabel: label,
      action: actionName(rule.action),
      value: ruleValue(rule),
      environments: rule.environments,
      cause: firing.cause,
      runAt: firing.runAt,
      description: describeRule(
        rule,
        rule.environments.map((environment) => environment.name),
        label,
      ),
    };
  });
}

export async function listScheduledChanges(actor: Actor, projectId: number, featureId?: number) {
  await requireProjectRole(actor, projectId, "VIEWER");
  return pendingChanges(prisma, { projectId, featureId });
}

/** Cancels a pending delayed change; its job then does nothing. Same permission as its rule. */
export async function cancelScheduledChange(actor: Actor, projectId: number, firingId: number) {
  const access = await requireProjectRole(actor, projectId, "EDITOR");
  const [change] = (await pendingChanges(prisma, { projectId })).filter((row) => row.id === firingId);
  if (!change) {
    const exists = await prisma.releaseRuleFiring.findFirst({ where: { id: firingId, projectId } });
    if (!exists) throw notFound("Scheduled change");
    throw new ApiError(
      "conflict",
      `This change is no longer scheduled (it is ${exists.status.toLowerCase()})`,
    );
  }
  requireMayRuleEnvironments(access, change.environments);
  await prisma.$transaction(async (tx) => {
    const cancelled = await tx.releaseRuleFiring.updateMany({
      where: { id: firingId, status: "PENDING" },
      data: { status: "CANCELLED", finishedAt: new Date(), reason: `Cancelled by ${actor.label}` },
    });
    if (cancelled.count === 0)
      throw new ApiError("conflict", "This change has just been applied or cancelled");
    await recordAudit(tx, actor, {
      organisationId: access.project.organisationId,
      projectId,
      featureId: change.featureId,
      action: "UPDATE",
      entityType: "release_rule",
      entityId: change.ruleId,
      summary: `Cancelled scheduled change #${firingId} of ${change.featureName} (${change.description})`,
    });
  });
}
