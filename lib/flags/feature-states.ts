import "server-only";
import { notFound } from "@/lib/api/errors";
import { skipTake, type PaginationQuery } from "@/lib/api/pagination";
import type { Actor } from "@/lib/auth/actor";
import { requireEnvironmentRole } from "@/lib/auth/permissions";
import { recordAudit, type AuditActor, type AuditChanges } from "@/lib/audit/record-audit";
import { prisma } from "@/lib/db/client";
import type { Db } from "@/lib/db/types";
import {
  describeValue,
  fromStoredValue,
  sameStoredValue,
  toStoredValue,
  type StoredValue,
} from "@/lib/flags/flag-values";
import { replaceAllocations } from "@/lib/flags/multivariate";
import type { FeatureState } from "@/lib/generated/prisma/client";
import type { FlagValue } from "@/lib/validations/common";
import type { updateFeatureStateBody } from "@/lib/validations/core";
import type { z } from "zod";

// The environment-default state of each feature (enabled + value), and the change planning and
// wording that segment overrides share with it.

/** A state as embedded in a feature answer (`environment_state`). */
export function serializeEnvironmentState(state: FeatureState) {
  return {
    id: state.id,
    enabled: state.enabled,
    feature_state_value: fromStoredValue(state.valueType, state.value),
    updated_at: state.updatedAt.toISOString(),
  };
}

export function serializeFeatureState(state: FeatureState) {
  const { id, ...rest } = serializeEnvironmentState(state);
  return { id, feature: state.featureId, environment: state.environmentId, ...rest };
}

export interface StateFields extends StoredValue {
  enabled: boolean;
}

export interface StateInput {
  enabled?: boolean;
  feature_state_value?: FlagValue;
}

/**
 * What a write to a state (or segment override) changes: only the fields it was sent, and of those
 * only the ones that differ. Concurrent writes of different fields therefore never undo each other.
 */
export function planStateChange(
  before: StateFields,
  input: StateInput,
): { data: Partial<StateFields>; changes: AuditChanges } {
  const data: Partial<StateFields> = {};
  const changes: AuditChanges = {};
  if (input.enabled !== undefined && input.enabled !== before.enabled) {
    data.enabled = input.enabled;
    changes.enabled = { from: before.enabled, to: input.enabled };
  }
  if (input.feature_state_value !== undefined) {
    const stored = toStoredValue(input.feature_state_value);
    if (!sameStoredValue(before, stored)) {
      Object.assign(data, stored);
      changes.value = {
        from: fromStoredValue(before.valueType, before.value),
        to: input.feature_state_value,
      };
    }
  }
  return { data, changes };
}

/**
 * An audit summary such as "Enabled new-checkout in Production", "Changed value of new-checkout in
 * Staging from "a" to "b"" or "Disabled <subject> and changed its value from 1 to 2".
 */
export function describeStateChange(subject: string, changes: AuditChanges): string {
  // Each change reads one way when it opens the sentence and another when it follows.
  const phrases: Array<[opening: string, following: string]> = [];
  if (changes.enabled) {
    const verb = changes.enabled.to ? "Enabled" : "Disabled";
    phrases.push([`${verb} ${subject}`, `${verb.toLowerCase()} it`]);
  }
  if (changes.value) {
    const fromTo = `from ${describeValue(changes.value.from as FlagValue)} to ${describeValue(changes.value.to as FlagValue)}`;
    phrases.push([`Changed value of ${subject} ${fromTo}`, `changed its value ${fromTo}`]);
  }
  if (changes.multivariate_feature_state_values) {
    phrases.push([`Changed variant weights of ${subject}`, `changed its variant weights`]);
  }
  if (changes.priority) {
    phrases.push([
      `Moved ${subject} to priority ${changes.priority.to}`,
      `moved it to priority ${changes.priority.to}`,
    ]);
  }
  const [first, ...rest] = phrases;
  if (!first) return `Saved ${subject}`;
  const parts = [first[0], ...rest.map(([, following]) => following)];
  return parts.length === 1 ? first[0] : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

export async function listFeatureStates(
  actor: Actor,
  environmentApiKey: string,
  filters: { feature?: number },
  page: PaginationQuery,
) {
  const { environment } = await requireEnvironmentRole(actor, environmentApiKey, "VIEWER");
  const where = { environmentId: environment.id, featureId: filters.feature };
  const [count, rows] = await Promise.all([
    prisma.featureState.count({ where }),
    prisma.featureState.findMany({
      where,
      orderBy: [{ feature: { name: "asc" } }, { id: "asc" }],
      ...skipTake(page),
    }),
  ]);
  return { count, rows };
}

export async function getFeatureState(actor: Actor, environmentApiKey: string, stateId: number) {
  const { environment } = await requireEnvironmentRole(actor, environmentApiKey, "VIEWER");
  const state = await prisma.featureState.findFirst({
    where: { id: stateId, environmentId: environment.id },
  });
  if (!state) throw notFound("Feature state");
  return state;
}

interface LockedFeatureState extends StateFields {
  id: number;
  featureId: number;
  featureName: string;
  environmentName: string;
}

/** Reads a state for update: concurrent writers of the same state queue here, in order. */
async function lockFeatureState(tx: Db, environmentId: number, stateId: number): Promise<LockedFeatureState> {
  const [row] = await tx.$queryRaw<LockedFeatureState[]>`
    SELECT s.id, s.feature_id AS "featureId", s.enabled, s.value_type::text AS "valueType", s.value,
           f.name AS "featureName", e.name AS "environmentName"
    FROM feature_states s
    JOIN features f ON f.id = s.feature_id
    JOIN environments e ON e.id = s.environment_id
    WHERE s.id = ${stateId} AND s.environment_id = ${environmentId}
    FOR UPDATE OF s`;
  if (!row) throw notFound("Feature state");
  return row;
}

/** PATCH of a feature state: changes only the fields sent, audited with their exact old values. */
export async function updateFeatureState(
  actor: Actor,
  environmentApiKey: string,
  stateId: number,
  input: z.infer<typeof updateFeatureStateBody>,
) {
  const { environment, project } = await requireEnvironmentRole(actor, environmentApiKey, "EDITOR");
  return prisma.$transaction((tx) =>
    applyFeatureStateChange(
      tx,
      actor,
      { organisationId: project.organisationId, projectId: project.id, environmentId: environment.id },
      stateId,
      input,
    ),
  );
}

/**
 * The change itself, inside the caller's transaction, for a caller already authorized: the UI's
 * PATCH and automated changes (release rules, comment commands) share it, so every one of them is
 * audited alike and the status notes, tags and history follow.
 */
export async function applyFeatureStateChange(
  tx: Db,
  actor: AuditActor,
  scope: { organisationId: number; projectId: number; environmentId: number },
  stateId: number,
  input: z.infer<typeof updateFeatureStateBody>,
) {
  const before = await lockFeatureState(tx, scope.environmentId, stateId);
  const { data, changes } = planStateChange(before, input);
  if (input.multivariate_feature_state_values) {
    const weights = input.multivariate_feature_state_values;
    Object.assign(
      changes,
      await replaceAllocations(tx, before.featureId, { featureStateId: stateId }, weights),
    );
  }
  if (Object.keys(changes).length === 0) return tx.featureState.findUniqueOrThrow({ where: { id: stateId } });
  const state = await tx.featureState.update({
    where: { id: stateId },
    data: { ...data, updatedAt: new Date() },
  });
  await recordAudit(tx, actor, {
    organisationId: scope.organisationId,
    projectId: scope.projectId,
    environmentId: scope.environmentId,
    featureId: before.featureId,
    action: "UPDATE",
    entityType: "feature_state",
    entityId: stateId,
    summary: describeStateChange(`${before.featureName} in ${before.environmentName}`, changes),
    changes,
  });
  return state;
}
