import "server-only";
import { ApiError, notFound } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/actor";
import { hasProjectRole, requireProjectRole, type ProjectAccess } from "@/lib/auth/permissions";
import { recordAudit } from "@/lib/audit/record-audit";
import { prisma } from "@/lib/db/client";
import type { Db } from "@/lib/db/types";
import { fromStoredValue, toStoredValue } from "@/lib/flags/flag-values";
import type {
  Environment,
  ReleaseAction,
  ReleaseRule,
  ReleaseRuleFiring,
  ReleaseTrigger,
} from "@/lib/generated/prisma/client";
import type { FlagValue } from "@/lib/validations/common";
import {
  formatDelay,
  type CreateReleaseRuleInput,
  type ReleaseActionName,
  type ReleaseTriggerName,
} from "@/lib/validations/release-rules";

// Release rules of a feature's linked items: "when this MR merges → enable in Staging, and in
// Production a day later". Who may write one: a project editor for environments that are not
// protected, a project admin for any. Every write is audited (entity "release_rule"), which also
// brings the item's status note up to date (it lists the pending rules).

const TRIGGERS: Record<ReleaseTriggerName, ReleaseTrigger> = {
  merged: "MERGED",
  closed: "CLOSED",
  closed_unmerged: "CLOSED_UNMERGED",
};
const ACTIONS: Record<ReleaseActionName, ReleaseAction> = {
  enable: "ENABLE",
  disable: "DISABLE",
  set_value: "SET_VALUE",
};
export const triggerName = (trigger: ReleaseTrigger) => trigger.toLowerCase() as ReleaseTriggerName;
export const actionName = (action: ReleaseAction) => action.toLowerCase() as ReleaseActionName;

export type RuleWithContext = ReleaseRule & {
  environments: Pick<Environment, "id" | "name" | "apiKey" | "protected">[];
  firings: ReleaseRuleFiring[];
};

/** What a rule is doing now: paused, waiting for its trigger, a change scheduled, or done. */
function ruleStatus(rule: RuleWithContext): "paused" | "waiting" | "scheduled" | "fired" {
  if (rule.paused) return "paused";
  if (rule.firings.some((firing) => firing.status === "PENDING")) return "scheduled";
  if (rule.firings.some((firing) => firing.status === "DONE")) return "fired";
  return "waiting";
}

export function ruleValue(rule: Pick<ReleaseRule, "valueType" | "value">): FlagValue | undefined {
  return rule.valueType ? fromStoredValue(rule.valueType, rule.value) : undefined;
}

export function serializeReleaseRule(rule: RuleWithContext) {
  const pending = rule.firings.find((firing) => firing.status === "PENDING");
  const lastDone = rule.firings.filter((firing) => firing.status === "DONE").at(-1);
  return {
    id: rule.id,
    feature: rule.featureId,
    external_resource: rule.externalResourceId,
    trigger: triggerName(rule.trigger),
    action: actionName(rule.action),
    value: ruleValue(rule) ?? null,
    environments: rule.environments.map((environment) => environment.apiKey),
    environment_names: rule.environments.map((environment) => environment.name),
    delay_seconds: rule.delaySeconds,
    paused: rule.paused,
    status: ruleStatus(rule),
    scheduled_change: pending
      ? { id: pending.id, run_at: pending.runAt.toISOString(), cause: pending.cause }
      : null,
    last_fired_at: lastDone?.finishedAt?.toISOString() ?? null,
    created_at: rule.createdAt.toISOString(),
  };
}
export type SerializedReleaseRule = ReturnType<typeof serializeReleaseRule>;

/** Adds the environments (in the rule's order) to rules read with their firings. */
export async function withEnvironments(
  db: Db,
  rules: (ReleaseRule & { firings: ReleaseRuleFiring[] })[],
): Promise<RuleWithContext[]> {
  const ids = [...new Set(rules.flatMap((rule) => rule.environmentIds))];
  const environments = ids.length
    ? await db.environment.findMany({
        where: { id: { in: ids } },
        select: { id: true, name: true, apiKey: true, protected: true },
      })
    : [];
  const byId = new Map(environments.map((environment) => [environment.id, environment]));
  return rules.map((rule) => ({
    ...rule,
    environments: rule.environmentIds.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])),
  }));
}

const firingsInclude = { firings: { orderBy: { id: "asc" as const } } };

/** Editors may only touch unprotected environments; admins any. */
export function requireMayRuleEnvironments(
  access: ProjectAccess,
  environments: Pick<Environment, "name" | "protected">[],
): void {
  if (hasProjectRole(access, "ADMIN")) return;
  const guarded = environments.filter((environment) => environment.protected);
  if (guarded.length > 0)
    throw new ApiError(
      "forbidden",
      `${guarded.map((environment) => environment.name).join(", ")} ${guarded.length === 1 ? "is" : "are"} protected: only project admins can automate changes there`,
    );
}

async function featureOf(projectId: number, featureId: number) {
  const feature = await prisma.feature.findFirst({
    where: { id: featureId, projectId },
    select: { id: true, name: true, projectId: true },
  });
  if (!feature) throw notFound("Feature");
  return feature;
}

export async function listReleaseRules(actor: Actor, projectId: number, featureId: number) {
  await requireProjectRole(actor, projectId, "VIEWER");
  await featureOf(projectId, featureId);
  const rules = await prisma.releaseRule.findMany({
    where: { featureId },
    orderBy: { id: "asc" },
    include: firingsInclude,
  });
  return withEnvironments(prisma, rules);
}

/** How a rule reads in the audit log and the UI: "When MR !34 merges: enable in Staging after 1 h". */
export function describeRule(
  rule: Pick<ReleaseRule, "trigger" | "action" | "delaySeconds" | "valueType" | "value">,
  environments: string[],
  itemLabel: string,
): string {
  const when = { MERGED: "merges", CLOSED: "closes", CLOSED_UNMERGED: "is closed unmerged or reverted" }[
    rule.trigger
  ];
  const value = ruleValue(rule);
  const what =
    rule.action === "SET_VALUE" ? `set the value to ${JSON.stringify(value)}` : actionName(rule.action);
  const delay = rule.delaySeconds > 0 ? ` ${formatDelay(rule.delaySeconds)} later` : "";
  return `When ${itemLabel} ${when}: ${what} in ${environments.join(", ")}${delay}`;
}

export function itemLabel(link: { type: string; iid: number }): string {
  return link.type === "GITLAB_MR" ? `MR !${link.iid}` : `issue #${link.iid}`;
}

export async function createReleaseRule(
  actor: Actor,
  projectId: number,
  featureId: number,
  input: CreateReleaseRuleInput,
) {
  const access = await requireProjectRole(actor, projectId, "EDITOR");
  const feature = await featureOf(projectId, featureId);
  const link = await prisma.externalResource.findFirst({ where: { id: input.external_resource, featureId } });
  if (!link)
    throw new ApiError("unprocessable_entity", "That item is not linked to this feature", [
      { field: "external_resource", issue: "Choose an item linked to this feature" },
    ]);
  const trigger = TRIGGERS[input.trigger];
  if (trigger === "MERGED" && link.type !== "GITLAB_MR")
    throw new ApiError("unprocessable_entity", "Only merge requests merge", [
      { field: "trigger", issue: "An issue can only close" },
    ]);
  const environments = await prisma.environment.findMany({
    where: { projectId, apiKey: { in: input.environments } },
    select: { id: true, name: true, apiKey: true, protected: true },
  });
  const unknown = input.environments.filter((key) => !environments.some((e) => e.apiKey === key));
  if (unknown.length > 0)
    throw new ApiError("unprocessable_entity", "Unknown environment", [
      { field: "environments", issue: `Not an environment of this project: ${unknown.join(", ")}` },
    ]);
  requireMayRuleEnvironments(access, environments);
  const ordered = input.environments.map((key) => environments.find((e) => e.apiKey === key)!);
  const stored = input.action === "set_value" ? toStoredValue(input.value ?? null) : null;

  return prisma.$transaction(async (tx) => {
    const rule = await tx.releaseRule.create({
      data: {
        projectId,
        featureId,
        externalResourceId: link.id,
        trigger,
        action: ACTIONS[input.action],
        valueType: stored?.valueType ?? null,
        value: stored?.value ?? null,
        environmentIds: ordered.map((environment) => environment.id),
        delaySeconds: input.delay_seconds ?? 0,
        createdById: actor.kind === "user" ? actor.userId : null,
      },
      include: firingsInclude,
    });
    await recordAudit(tx, actor, {
      organisationId: access.project.organisationId,
      projectId,
      featureId,
      action: "CREATE",
      entityType: "release_rule",
      entityId: rule.id,
      summary: `Added release rule #${rule.id} to ${feature.name}: ${describeRule(
        rule,
        ordered.map((environment) => environment.name),
        itemLabel(link),
      )}`,
    });
    return { ...rule, environments: ordered };
  });
}

/** A rule of the feature with its environments, and the actor's right to change it checked. */
async function ruleForChange(actor: Actor, projectId: number, featureId: number, ruleId: number) {
  const access = await requireProjectRole(actor, projectId, "EDITOR");
  const feature = await featureOf(projectId, featureId);
  const found = await prisma.releaseRule.findFirst({
    where: { id: ruleId, featureId },
    include: { ...firingsInclude, externalResource: { select: { type: true, iid: true } } },
  });
  if (!found) throw notFound("Release rule");
  const [rule] = await withEnvironments(prisma, [found]);
  requireMayRuleEnvironments(access, rule!.environments);
  return { access, feature, rule: rule!, link: found.externalResource };
}

export async function updateReleaseRule(
  actor: Actor,
  projectId: number,
  featureId: number,
  ruleId: number,
  input: { paused?: boolean },
) {
  const { access, feature, rule } = await ruleForChange(actor, projectId, featureId, ruleId);
  if (input.paused === undefined || input.paused === rule.paused) return rule;
  return prisma.$transaction(async (tx) => {
    const updated = await tx.releaseRule.update({
      where: { id: ruleId },
      data: { paused: input.paused },
      include: firingsInclude,
    });
    await recordAudit(tx, actor, {
      organisationId: access.project.organisationId,
      projectId,
      featureId,
      action: "UPDATE",
      entityType: "release_rule",
      entityId: ruleId,
      summary: `${input.paused ? "Paused" : "Resumed"} release rule #${ruleId} of ${feature.name}`,
      changes: { paused: { from: rule.paused, to: input.paused! } },
    });
    return { ...updated, environments: rule.environments };
  });
}

/** Deleting a rule also drops its scheduled changes (their jobs find nothing to do). */
export async function deleteReleaseRule(actor: Actor, projectId: number, featureId: number, ruleId: number) {
  const { access, feature, rule, link } = await ruleForChange(actor, projectId, featureId, ruleId);
  await prisma.$transaction(async (tx) => {
    await tx.releaseRule.delete({ where: { id: ruleId } });
    await recordAudit(tx, actor, {
      organisationId: access.project.organisationId,
      projectId,
      featureId,
      action: "DELETE",
      entityType: "release_rule",
      entityId: ruleId,
      summary: `Deleted release rule #${ruleId} of ${feature.name}: ${describeRule(
        rule,
        rule.environments.map((environment) => environment.name),
        itemLabel(link),
      )}`,
    });
  });
}
