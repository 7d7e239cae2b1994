import "server-only";
import { ApiError, notFound } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/actor";
import { requireEnvironmentRole } from "@/lib/auth/permissions";
import { recordAudit } from "@/lib/audit/record-audit";
import { prisma } from "@/lib/db/client";
import type { Db } from "@/lib/db/types";
import { describeStateChange, planStateChange, type StateFields } from "@/lib/flags/feature-states";
import { fromStoredValue, toStoredValue } from "@/lib/flags/flag-values";
import { findIdentity } from "@/lib/flags/identities";
import { replaceAllocations, serializeAllocation } from "@/lib/flags/multivariate";
import type { IdentityOverride } from "@/lib/generated/prisma/client";
import type { createIdentityOverrideBody, updateIdentityOverrideBody } from "@/lib/validations/evaluation";
import type { z } from "zod";

// An identity's own state of a feature in its environment (Flagsmith's identity feature state).
// It beats every segment override. Audited as "identity_override", which queues the feature's
// GitLab status notes like a segment override does.

type OverrideRow = IdentityOverride & {
  feature: { id: number; name: string };
  multivariateValues: { id: number; optionId: number; percentageAllocation: number }[];
};

const overrideInclude = {
  feature: { select: { id: true, name: true } },
  multivariateValues: {
    select: { id: true, optionId: true, percentageAllocation: true },
    orderBy: { optionId: "asc" },
  },
} as const;

export function serializeIdentityOverride(override: OverrideRow) {
  return {
    id: override.id,
    feature: { id: override.feature.id, name: override.feature.name },
    identity: override.identityId,
    environment: override.environmentId,
    enabled: override.enabled,
    feature_state_value: fromStoredValue(override.valueType, override.value),
    multivariate_feature_state_values: override.multivariateValues.map(serializeAllocation),
    updated_at: override.updatedAt.toISOString(),
  };
}

export async function listIdentityOverrides(actor: Actor, environmentApiKey: string, identityId: number) {
  const { environment } = await requireEnvironmentRole(actor, environmentApiKey, "VIEWER");
  await findIdentity(prisma, environment.id, identityId);
  return prisma.identityOverride.findMany({
    where: { identityId },
    include: overrideInclude,
    orderBy: { feature: { name: "asc" } },
  });
}

function invalidFeature(): ApiError {
  const issue = { field: "body.feature", issue: "not a feature of this environment's project" };
  return new ApiError("unprocessable_entity", `Invalid input: ${issue.field}: ${issue.issue}`, [issue]);
}

export async function createIdentityOverride(
  actor: Actor,
  environmentApiKey: string,
  identityId: number,
  input: z.infer<typeof createIdentityOverrideBody>,
) {
  const { environment, project } = await requireEnvironmentRole(actor, environmentApiKey, "EDITOR");
  return prisma.$transaction(async (tx) => {
    const identity = await findIdentity(tx, environment.id, identityId);
    const feature = await tx.feature.findFirst({
      where: { id: input.feature, projectId: project.id },
      select: { id: true, name: true },
    });
    if (!feature) throw invalidFeature();
    const existing = await tx.identityOverride.findUnique({
      where: { identityId_featureId: { identityId, featureId: feature.id } },
    });
    if (existing) {
      throw new ApiError(
        "conflict",
        `Identity ${identity.identifier} already has an override of ${feature.name}`,
        { fields: ["feature"] },
      );
    }
    const enabled = input.enabled ?? false;
    const value = input.feature_state_value ?? null;
    const created = await tx.identityOverride.create({
      data: {
        identityId,
        featureId: feature.id,
        environmentId: environment.id,
        enabled,
        ...toStoredValue(value),
      },
    });
    const weights = input.multivariate_feature_state_values
      ? await replaceAllocations(
          tx,
          feature.id,
          { identityOverrideId: created.id },
          input.multivariate_feature_state_values,
        )
      : {};
    await recordAudit(tx, actor, {
      organisationId: project.organisationId,
      projectId: project.id,
      environmentId: environment.id,
      featureId: feature.id,
      action: "CREATE",
      entityType: "identity_override",
      entityId: created.id,
      summary: `Added identity override ${identity.identifier} to ${feature.name} in ${environment.name}`,
      changes: {
        identity: identity.identifier,
        enabled: { from: null, to: enabled },
        value: { from: null, to: value },
        ...weights,
      },
    });
    return tx.identityOverride.findUniqueOrThrow({ where: { id: created.id }, include: overrideInclude });
  });
}

interface LockedOverride extends StateFields {
  id: number;
  featureId: number;
  identifier: string;
  featureName: string;
}

async function lockIdentityOverride(
  tx: Db,
  environmentId: number,
  identityId: number,
  overrideId: number,
): Promise<LockedOverride> {
  const [row] = await tx.$queryRaw<LockedOverride[]>`
    SELECT o.id, o.feature_id AS "featureId", o.enabled, o.value_type::text AS "valueType", o.value,
           i.identifier, f.name AS "featureName"
    FROM identity_overrides o
    JOIN identities i ON i.id = o.identity_id
    JOIN features f ON f.id = o.feature_id
    WHERE o.id = ${overrideId} AND o.identity_id = ${identityId} AND o.environment_id = ${environmentId}
    FOR UPDATE OF o`;
  if (!row) throw notFound("Identity override");
  return row;
}

export async function updateIdentityOverride(
  actor: Actor,
  environmentApiKey: string,
  identityId: number,
  overrideId: number,
  input: z.infer<typeof updateIdentityOverrideBody>,
) {
  const { environment, project } = await requireEnvironmentRole(actor, environmentApiKey, "EDITOR");
  return prisma.$transaction(async (tx) => {
    const before = await lockIdentityOverride(tx, environment.id, identityId, overrideId);
    const { data, changes } = planStateChange(before, input);
    if (input.multivariate_feature_state_values) {
      const weights = input.multivariate_feature_state_values;
      Object.assign(
        changes,
        await replaceAllocations(tx, before.featureId, { identityOverrideId: overrideId }, weights),
      );
    }
    if (Object.keys(changes).length > 0) {
      await tx.identityOverride.update({
        where: { id: overrideId },
        data: { ...data, updatedAt: new Date() },
      });
      await recordAudit(tx, actor, {
        organisationId: project.organisationId,
        projectId: project.id,
        environmentId: environment.id,
        featureId: before.featureId,
        action: "UPDATE",
        entityType: "identity_override",
        entityId: overrideId,
        summary: describeStateChange(
          `identity override ${before.identifier} of ${before.featureName} in ${environment.name}`,
          changes,
        ),
        changes: { identity: before.identifier, ...changes },
      });
    }
    return tx.identityOverride.findUniqueOrThrow({ where: { id: overrideId }, include: overrideInclude });
  });
}

export async function deleteIdentityOverride(
  actor: Actor,
  environmentApiKey: string,
  identityId: number,
  overrideId: number,
) {
  const { environment, project } = await requireEnvironmentRole(actor, environmentApiKey, "EDITOR");
  await prisma.$transaction(async (tx) => {
    const before = await lockIdentityOverride(tx, environment.id, identityId, overrideId);
    await tx.identityOverride.delete({ where: { id: overrideId } });
    await recordAudit(tx, actor, {
      organisationId: project.organisationId,
      projectId: project.id,
      environmentId: environment.id,
      featureId: before.featureId,
      action: "DELETE",
      entityType: "identity_override",
      entityId: overrideId,
      summary: `Removed identity override ${before.identifier} from ${before.featureName} in ${environment.name}`,
      changes: {
        identity: before.identifier,
        enabled: { from: before.enabled, to: null },
        value: { from: fromStoredValue(before.valueType, before.value), to: null },
      },
    });
  });
}
