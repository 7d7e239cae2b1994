import "server-only";
import { ApiError, notFound } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/actor";
import { requireProjectRole } from "@/lib/auth/permissions";
import { changedFields, recordAudit, type AuditChanges } from "@/lib/audit/record-audit";
import { prisma } from "@/lib/db/client";
import type { Db } from "@/lib/db/types";
import type { FlagValue } from "@/lib/validations/common";
import type { MultivariateOption } from "@/lib/generated/prisma/client";
import type {
  createMultivariateOptionBody,
  MultivariateValuesInput,
  updateMultivariateOptionBody,
} from "@/lib/validations/evaluation";
import type { z } from "zod";

// Variants of a feature (Flagsmith's multivariate options) and their weights. An option carries a
// default weight used by every environment state that has not set its own; segment and identity
// overrides split only when they were given weights of their own (as in Flagsmith, where an
// override without multivariate values serves its own value).

const typeNames = { UNICODE: "unicode", INT: "int", BOOL: "bool" } as const;
const typeOf = { unicode: "UNICODE", int: "INT", bool: "BOOL" } as const;

export function optionValue(
  option: Pick<MultivariateOption, "type" | "stringValue" | "integerValue" | "booleanValue">,
): FlagValue {
  if (option.type === "INT") return option.integerValue;
  if (option.type === "BOOL") return option.booleanValue;
  return option.stringValue;
}

export function serializeMultivariateOption(option: MultivariateOption) {
  return {
    id: option.id,
    feature: option.featureId,
    type: typeNames[option.type],
    string_value: option.type === "UNICODE" ? option.stringValue : null,
    integer_value: option.type === "INT" ? option.integerValue : null,
    boolean_value: option.type === "BOOL" ? option.booleanValue : null,
    default_percentage_allocation: option.defaultPercentageAllocation,
    created_at: option.createdAt.toISOString(),
  };
}

export function serializeAllocation(allocation: {
  id: number | null;
  optionId: number;
  percentageAllocation: number;
}) {
  return {
    id: allocation.id,
    multivariate_feature_option: allocation.optionId,
    percentage_allocation: allocation.percentageAllocation,
  };
}

function weightsTooHigh(total: number, field: string): ApiError {
  const issue = { field, issue: `Percentage allocations sum to ${total}; at most 100 is allowed` };
  return new ApiError("unprocessable_entity", `Invalid input: ${issue.field}: ${issue.issue}`, [issue]);
}

async function featureInProject(db: Db, projectId: number, featureId: number) {
  const feature = await db.feature.findFirst({
    where: { id: featureId, projectId },
    select: { id: true, name: true },
  });
  if (!feature) throw notFound("Feature");
  return feature;
}

export async function listMultivariateOptions(actor: Actor, projectId: number, featureId: number) {
  await requireProjectRole(actor, projectId, "VIEWER");
  await featureInProject(prisma, projectId, featureId);
  return prisma.multivariateOption.findMany({ where: { featureId }, orderBy: { id: "asc" } });
}

export async function getMultivariateOption(
  actor: Actor,
  projectId: number,
  featureId: number,
  optionId: number,
) {
  await requireProjectRole(actor, projectId, "VIEWER");
  const option = await prisma.multivariateOption.findFirst({
    where: { id: optionId, featureId, feature: { projectId } },
  });
  if (!option) throw notFound("Multivariate option");
  return option;
}

/** Serialises option writes of one feature, so two writers cannot both pass the ≤ 100 check. */
async function lockFeature(tx: Db, featureId: number) {
  await tx.$queryRaw`SELECT id FROM features WHERE id = ${featureId} FOR UPDATE`;
}

/**
 * Default weights of all options may not exceed 100, nor may any environment's effective weights
 * (its own where set, the default elsewhere) once `changed` is applied.
 */
async function assertWeightsFit(
  tx: Db,
  featureId: number,
  changed: { optionId: number | null; weight: number },
) {
  const options = await tx.multivariateOption.findMany({
    where: { featureId },
    select: { id: true, defaultPercentageAllocation: true },
  });
  const defaults = new Map(options.map((option) => [option.id, option.defaultPercentageAllocation]));
  defaults.set(changed.optionId ?? -1, changed.weight);
  const defaultTotal = [...defaults.values()].reduce((sum, weight) => sum + weight, 0);
  if (defaultTotal > 100 + 1e-9) throw weightsTooHigh(defaultTotal, "body.default_percentage_allocation");
  const states = await tx.featureState.findMany({
    where: { featureId },
    select: { id: true, multivariateValues: { select: { optionId: true, percentageAllocation: true } } },
  });
  for (const state of states) {
    const own = new Map(
      state.multivariateValues.map((value) => [value.optionId, value.percentageAllocation]),
    );
    let total = 0;
    for (const [optionId, weight] of defaults)
      total += optionId !== changed.optionId && own.has(optionId) ? own.get(optionId)! : weight;
    if (total > 100 + 1e-9) throw weightsTooHigh(total, "body.default_percentage_allocation");
  }
}

function optionData(input: {
  type?: "unicode" | "int" | "bool";
  string_value?: string | null;
  integer_value?: number | null;
  boolean_value?: boolean | null;
}) {
  const type = typeOf[input.type ?? "unicode"];
  return {
    type,
    stringValue: type === "UNICODE" ? (input.string_value ?? null) : null,
    integerValue: type === "INT" ? (input.integer_value ?? null) : null,
    booleanValue: type === "BOOL" ? (input.boolean_value ?? null) : null,
  };
}

export async function createMultivariateOption(
  actor: Actor,
  projectId: number,
  featureId: number,
  input: z.infer<typeof createMultivariateOptionBody>,
) {
  const { project } = await requireProjectRole(actor, projectId, "EDITOR");
  return prisma.$transaction(async (tx) => {
    const feature = await featureInProject(tx, projectId, featureId);
    await lockFeature(tx, featureId);
    await assertWeightsFit(tx, featureId, { optionId: null, weight: input.default_percentage_allocation });
    const option = await tx.multivariateOption.create({
      data: {
        featureId,
        ...optionData(input),
        defaultPercentageAllocation: input.default_percentage_allocation,
      },
    });
    await recordAudit(tx, actor, {
      organisationId: project.organisationId,
      projectId,
      featureId,
      action: "CREATE",
      entityType: "multivariate_option",
      entityId: option.id,
      summary: `Added variant ${JSON.stringify(optionValue(option))} to ${feature.name}`,
      changes: {
        value: { from: null, to: optionValue(option) },
        default_percentage_allocation: { from: null, to: option.defaultPercentageAllocation },
      },
    });
    return option;
  });
}

export async function updateMultivariateOption(
  actor: Actor,
  projectId: number,
  featureId: number,
  optionId: number,
  input: z.infer<typeof updateMultivariateOptionBody>,
) {
  const { project } = await requireProjectRole(actor, projectId, "EDITOR");
  return prisma.$transaction(async (tx) => {
    const feature = await featureInProject(tx, projectId, featureId);
    await lockFeature(tx, featureId);
    const before = await tx.multivariateOption.findFirst({ where: { id: optionId, featureId } });
    if (!before) throw notFound("Multivariate option");
    const valueData = input.type
      ? optionData(input)
      : optionData({
          type: typeNames[before.type],
          string_value: input.string_value ?? before.stringValue,
          integer_value: input.integer_value ?? before.integerValue,
          boolean_value: input.boolean_value ?? before.booleanValue,
        });
    const weight = input.default_percentage_allocation ?? before.defaultPercentageAllocation;
    const changes = changedFields(
      { value: optionValue(before), default_percentage_allocation: before.defaultPercentageAllocation },
      { value: optionValue(valueData), default_percentage_allocation: weight },
    );
    if (Object.keys(changes).length === 0) return before;
    if (changes.default_percentage_allocation) await assertWeightsFit(tx, featureId, { optionId, weight });
    const option = await tx.multivariateOption.update({
      where: { id: optionId },
      data: { ...valueData, defaultPercentageAllocation: weight },
    });
    await recordAudit(tx, actor, {
      organisationId: project.organisationId,
      projectId,
      featureId,
      action: "UPDATE",
      entityType: "multivariate_option",
      entityId: optionId,
      summary: `Changed variant ${JSON.stringify(optionValue(before))} of ${feature.name}`,
      changes,
    });
    return option;
  });
}

export async function deleteMultivariateOption(
  actor: Actor,
  projectId: number,
  featureId: number,
  optionId: number,
) {
  const { project } = await requireProjectRole(actor, projectId, "EDITOR");
  await prisma.$transaction(async (tx) => {
    const feature = await featureInProject(tx, projectId, featureId);
    const option = await tx.multivariateOption.findFirst({ where: { id: optionId, featureId } });
    if (!option) throw notFound("Multivariate option");
    await tx.multivariateOption.delete({ where: { id: optionId } });
    await recordAudit(tx, actor, {
      organisationId: project.organisationId,
      projectId,
      featureId,
      action: "DELETE",
      entityType: "multivariate_option",
      entityId: optionId,
      summary: `Removed variant ${JSON.stringify(optionValue(option))} from ${feature.name}`,
      changes: { value: { from: optionValue(option), to: null } },
    });
  });
}

export type AllocationOwner =
  { featureStateId: number } | { segmentOverrideId: number } | { identityOverrideId: number };

/**
 * Replaces the weights of one state or override (inside the caller's transaction) and returns the
 * audit change. Options must be the feature's; an environment state's effective total (its own
 * weights plus the defaults of options it does not list) may not exceed 100.
 */
export async function replaceAllocations(
  tx: Db,
  featureId: number,
  owner: AllocationOwner,
  values: MultivariateValuesInput,
): Promise<AuditChanges> {
  const field = "body.multivariate_feature_state_values";
  const options = await tx.multivariateOption.findMany({
    where: { featureId },
    select: { id: true, defaultPercentageAllocation: true },
  });
  const known = new Set(options.map((option) => option.id));
  const foreign = values.findIndex((value) => !known.has(value.multivariate_feature_option));
  if (foreign >= 0) {
    const issue = {
      field: `${field}.${foreign}.multivariate_feature_option`,
      issue: "not an option of this feature",
    };
    throw new ApiError("unprocessable_entity", `Invalid input: ${issue.field}: ${issue.issue}`, [issue]);
  }
  if ("featureStateId" in owner) {
    const listed = new Map(
      values.map((value) => [value.multivariate_feature_option, value.percentage_allocation]),
    );
    const total = options.reduce(
      (sum, option) => sum + (listed.get(option.id) ?? option.defaultPercentageAllocation),
      0,
    );
    if (total > 100 + 1e-9) throw weightsTooHigh(total, field);
  }
  const before = await tx.multivariateAllocation.findMany({ where: owner, orderBy: { optionId: "asc" } });
  const describe = (rows: { optionId: number; weight: number }[]) =>
    rows
      .sort((a, b) => a.optionId - b.optionId)
      .map((row) => ({ multivariate_feature_option: row.optionId, percentage_allocation: row.weight }));
  const changes = changedFields(
    {
      multivariate_feature_state_values: describe(
        before.map((row) => ({ optionId: row.optionId, weight: row.percentageAllocation })),
      ),
    },
    {
      multivariate_feature_state_values: describe(
        values.map((value) => ({
          optionId: value.multivariate_feature_option,
          weight: value.percentage_allocation,
        })),
      ),
    },
  );
  if (Object.keys(changes).length === 0) return changes;
  await tx.multivariateAllocation.deleteMany({ where: owner });
  await tx.multivariateAllocation.createMany({
    data: values.map((value) => ({
      ...owner,
      optionId: value.multivariate_feature_option,
      percentageAllocation: value.percentage_allocation,
    })),
  });
  return changes;
}

/** Each environment state's effective weights (own where set, defaults elsewhere), one query. */
async function effectiveStateAllocations(db: Db, states: { id: number; featureId: number }[]) {
  const featureIds = [...new Set(states.map((state) => state.featureId))];
  const options = await db.multivariateOption.findMany({
    where: { featureId: { in: featureIds } },
    include: { allocations: { where: { featureStateId: { in: states.map((state) => state.id) } } } },
    orderBy: { id: "asc" },
  });
  const result = new Map<number, { id: number | null; optionId: number; percentageAllocation: number }[]>();
  for (const state of states) {
    result.set(
      state.id,
      options
        .filter((option) => option.featureId === state.featureId)
        .map((option) => {
          const own = option.allocations.find((allocation) => allocation.featureStateId === state.id);
          return {
            id: own?.id ?? null,
            optionId: option.id,
            percentageAllocation: own?.percentageAllocation ?? option.defaultPercentageAllocation,
          };
        }),
    );
  }
  return result;
}

/** A state's answer with its effective variant weights (Flagsmith's `multivariate_feature_state_values`). */
export async function withMultivariateValues<T extends { id: number }>(
  state: { id: number; featureId: number },
  serialized: T,
  db: Db = prisma,
) {
  const weights = (await effectiveStateAllocations(db, [state])).get(state.id) ?? [];
  return { ...serialized, multivariate_feature_state_values: weights.map(serializeAllocation) };
}
