import "server-only";
import { ApiError, notFound } from "@/lib/api/errors";
import { skipTake, type PaginationQuery } from "@/lib/api/pagination";
import type { Actor } from "@/lib/auth/actor";
import { requireProjectRole } from "@/lib/auth/permissions";
import { recordAudit } from "@/lib/audit/record-audit";
import { prisma } from "@/lib/db/client";
import type { Db } from "@/lib/db/types";
import { describeStateChange, planStateChange, type StateFields } from "@/lib/flags/feature-states";
import { fromStoredValue, toStoredValue } from "@/lib/flags/flag-values";
import { replaceAllocations, serializeAllocation } from "@/lib/flags/multivariate";
import type { SegmentOverride } from "@/lib/generated/prisma/client";
import type { createSegmentOverrideBody, updateSegmentOverrideBody } from "@/lib/validations/core";
import type { z } from "zod";

// A feature's state for one segment in one environment. Within an environment, overrides are
// evaluated by ascending priority (ties: the older override first).

type OverrideRow = SegmentOverride & {
  segment: { id: number; name: string };
  multivariateValues: { id: number; optionId: number; percentageAllocation: number }[];
};

const overrideInclude = {
  segment: { select: { id: true, name: true } },
  multivariateValues: {
    select: { id: true, optionId: true, percentageAllocation: true },
    orderBy: { optionId: "asc" },
  },
} as const;

export function serializeSegmentOverride(override: OverrideRow) {
  return {
    id: override.id,
    feature: override.featureId,
    environment: override.environmentId,
    segment: { id: override.segment.id, name: override.segment.name },
    priority: override.priority,
    enabled: override.enabled,
    feature_state_value: fromStoredValue(override.valueType, override.value),
    multivariate_feature_state_values: override.multivariateValues.map(serializeAllocation),
    updated_at: override.updatedAt.toISOString(),
  };
}

export async function listSegmentOverrides(
  actor: Actor,
  projectId: number,
  featureId: number,
  filters: { environment?: number },
  page: PaginationQuery,
) {
  await requireProjectRole(actor, projectId, "VIEWER");
  const feature = await prisma.feature.findFirst({
    where: { id: featureId, projectId },
    select: { id: true },
  });
  if (!feature) throw notFound("Feature");
  const where = { featureId, environmentId: filters.environment };
  const [count, rows] = await Promise.all([
    prisma.segmentOverride.count({ where }),
    prisma.segmentOverride.findMany({
      where,
      include: overrideInclude,
      orderBy: [{ environmentId: "asc" }, { priority: "asc" }, { id: "asc" }],
      ...skipTake(page),
    }),
  ]);
  return { count, rows };
}

/** Adds an override; without a priority it goes after the feature's last override in that environment. */
export async function createSegmentOverride(
  actor: Actor,
  projectId: number,
  featureId: number,
  input: z.infer<typeof createSegmentOverrideBody>,
) {
  const { project } = await requireProjectRole(actor, projectId, "EDITOR");
  return prisma.$transaction(async (tx) => {
    const feature = await tx.feature.findFirst({
      where: { id: featureId, projectId },
      select: { name: true },
    });
    if (!feature) throw notFound("Feature");
    const environment = await tx.environment.findFirst({
      where: { id: input.environment, projectId },
      select: { id: true, name: true },
    });
    const segment = await tx.segment.findFirst({
      where: { id: input.segment, projectId },
      select: { id: true, name: true },
    });
    if (!environment || !segment) {
      const issues = [
        ...(environment ? [] : [{ field: "body.environment", issue: "not an environment of this project" }]),
        ...(segment ? [] : [{ field: "body.segment", issue: "not a segment of this project" }]),
      ];
      throw new ApiError(
        "unprocessable_entity",
        `Invalid input: ${issues.map((i) => `${i.field}: ${i.issue}`).join("; ")}`,
        issues,
      );
    }
    // Queues concurrent override changes of this feature in this environment, so two additions
    // cannot both take the same "after the last" priority.
    await tx.$queryRaw`SELECT id FROM feature_states WHERE feature_id = ${featureId} AND environment_id = ${environment.id} FOR UPDATE`;
    const existing = await tx.segmentOverride.findUnique({
      where: {
        featureId_environmentId_segmentId: {
          featureId,
          environmentId: environment.id,
          segmentId: segment.id,
        },
      },
      select: { id: true },
    });
    if (existing) {
      throw new ApiError(
        "conflict",
        `Segment ${segment.name} already has an override of ${feature.name} in ${environment.name}`,
        {
          fields: ["segment"],
        },
      );
    }
    const last = await tx.segmentOverride.aggregate({
      where: { featureId, environmentId: environment.id },
      _max: { priority: true },
    });
    const priority = input.priority ?? (last._max.priority === null ? 0 : last._max.priority + 1);
    const enabled = input.enabled ?? false;
    const value = input.feature_state_value ?? null;
    const created = await tx.segmentOverride.create({
      data: {
        featureId,
        environmentId: environment.id,
        segmentId: segment.id,
        priority,
        enabled,
        ...toStoredValue(value),
      },
    });
    const weights = input.multivariate_feature_state_values
      ? await replaceAllocations(
          tx,
          featureId,
          { segmentOverrideId: created.id },
          input.multivariate_feature_state_values,
        )
      : {};
    const override = await tx.segmentOverride.findUniqueOrThrow({
      where: { id: created.id },
      include: overrideInclude,
    });
    await recordAudit(tx, actor, {
      organisationId: project.organisationId,
      projectId,
      environmentId: environment.id,
      featureId,
      action: "CREATE",
      entityType: "segment_override",
      entityId: override.id,
      summary: `Added segment override ${segment.name} to ${feature.name} in ${environment.name}`,
      changes: {
        segment: segment.name,
        enabled: { from: null, to: enabled },
        value: { from: null, to: value },
        priority: { from: null, to: priority },
        ...weights,
      },
    });
    return override;
  });
}

interface LockedOverride extends StateFields {
  id: number;
  environmentId: number;
  priority: number;
  segmentName: string;
  featureName: string;
  environmentName: string;
}

/** Reads an override of the feature for update, so audit `from` values are exact. */
async function lockSegmentOverride(
  tx: Db,
  projectId: number,
  featureId: number,
  overrideId: number,
): Promise<LockedOverride> {
  const [row] = await tx.$queryRaw<LockedOverride[]>`
    SELECT o.id, o.environment_id AS "environmentId", o.priority, o.enabled, o.value_type::text AS "valueType", o.value,
           s.name AS "segmentName", f.name AS "featureName", e.name AS "environmentName"
    FROM segment_overrides o
    JOIN features f ON f.id = o.feature_id
    JOIN segments s ON s.id = o.segment_id
    JOIN environments e ON e.id = o.environment_id
    WHERE o.id = ${overrideId} AND o.feature_id = ${featureId} AND f.project_id = ${projectId}
    FOR UPDATE OF o`;
  if (!row) throw notFound("Segment override");
  return row;
}

export async function updateSegmentOverride(
  actor: Actor,
  projectId: number,
  featureId: number,
  overrideId: number,
  input: z.infer<typeof updateSegmentOverrideBody>,
) {
  const { project } = await requireProjectRole(actor, projectId, "EDITOR");
  return prisma.$transaction(async (tx) => {
    const before = await lockSegmentOverride(tx, projectId, featureId, overrideId);
    const { data, changes } = planStateChange(before, input);
    const priority =
      input.priority !== undefined && input.priority !== before.priority ? input.priority : undefined;
    if (priority !== undefined) changes.priority = { from: before.priority, to: priority };
    if (input.multivariate_feature_state_values) {
      const weights = input.multivariate_feature_state_values;
      Object.assign(
        changes,
        await replaceAllocations(tx, featureId, { segmentOverrideId: overrideId }, weights),
      );
    }
    if (Object.keys(changes).length === 0) {
      return tx.segmentOverride.findUniqueOrThrow({ where: { id: overrideId }, include: overrideInclude });
    }
    const override = await tx.segmentOverride.update({
      where: { id: overrideId },
      data: { ...data, priority, updatedAt: new Date() },
      include: overrideInclude,
    });
    await recordAudit(tx, actor, {
      organisationId: project.organisationId,
      projectId,
      environmentId: before.environmentId,
      featureId,
      action: "UPDATE",
      entityType: "segment_override",
      entityId: overrideId,
      summary: describeStateChange(
        `segment override ${before.segmentName} of ${before.featureName} in ${before.environmentName}`,
        changes,
      ),
      changes: { segment: before.segmentName, ...changes },
    });
    return override;
  });
}

export async function deleteSegmentOverride(
  actor: Actor,
  projectId: number,
  featureId: number,
  overrideId: number,
) {
  const { project } = await requireProjectRole(actor, projectId, "EDITOR");
  await prisma.$transaction(async (tx) => {
    const before = await lockSegmentOverride(tx, projectId, featureId, overrideId);
    await tx.segmentOverride.delete({ where: { id: overrideId } });
    await recordAudit(tx, actor, {
      organisationId: project.organisationId,
      projectId,
      environmentId: before.environmentId,
      featureId,
      action: "DELETE",
      entityType: "segment_override",
      entityId: overrideId,
      summary: `Removed segment override ${before.segmentName} from ${before.featureName} in ${before.environmentName}`,
      changes: {
        segment: before.segmentName,
        enabled: { from: before.enabled, to: null },
        value: { from: fromStoredValue(before.valueType, before.value), to: null },
      },
    });
  });
}
