import "server-only";
import { ApiError, notFound } from "@/lib/api/errors";
import { skipTake, type PaginationQuery } from "@/lib/api/pagination";
import type { Actor } from "@/lib/auth/actor";
import { requireProjectRole } from "@/lib/auth/permissions";
import { changedFields, recordAudit, type AuditChanges } from "@/lib/audit/record-audit";
import { now } from "@/lib/clock";
import { prisma } from "@/lib/db/client";
import type { Db } from "@/lib/db/types";
import { serializeEnvironmentState } from "@/lib/flags/feature-states";
import { fromStoredValue, toStoredValue, type StoredValue } from "@/lib/flags/flag-values";
import { lockProjectStructure } from "@/lib/flags/projects";
import { featureSignals, NO_SIGNALS, type FeatureSignals } from "@/lib/flags/stale-flags";
import { assertAssignableTags } from "@/lib/flags/tags";
import type { Feature, FeatureState, Prisma } from "@/lib/generated/prisma/client";
import type { createFeatureBody, FeatureListFilters, updateFeatureBody } from "@/lib/validations/core";
import type { z } from "zod";

// Features (flags) of a project. A feature has a state in every environment of its project; these
// functions keep that true and write the audit row in the same transaction as the change.

type FeatureRow = Feature & {
  tags: { tagId: number }[];
  _count: { segmentOverrides: number; externalResources: number };
  /** Only loaded when a list is asked for one environment's states. */
  states?: FeatureState[];
  /** Stale / ready to delete (lib/flags/stale-flags.ts); a new feature is neither. */
  signals?: FeatureSignals;
};

/** The rows with their stale / ready-to-delete signals (one query for all of them). */
async function withSignals<T extends FeatureRow>(db: Db, rows: T[]): Promise<T[]> {
  const signals = await featureSignals(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => ({ ...row, signals: signals.get(row.id) ?? NO_SIGNALS }));
}

/**
 * Relations a feature answer needs, loaded with the page in a fixed number of queries whatever its
 * size. With an environment, `num_segment_overrides` counts that environment's overrides only.
 */
function featureInclude(environmentId?: number) {
  return {
    tags: { select: { tagId: true }, orderBy: { tagId: "asc" } },
    _count: {
      select: {
        segmentOverrides: environmentId === undefined ? true : { where: { environmentId } },
        externalResources: true,
      },
    },
    ...(environmentId === undefined ? {} : { states: { where: { environmentId } } }),
  } satisfies Prisma.FeatureInclude;
}

export function serializeFeature(feature: FeatureRow) {
  const state = feature.states?.[0];
  return {
    id: feature.id,
    name: feature.name,
    description: feature.description,
    default_enabled: feature.defaultEnabled,
    initial_value: fromStoredValue(feature.valueType, feature.initialValue),
    tags: feature.tags.map((tag) => tag.tagId),
    project: feature.projectId,
    created_at: feature.createdAt.toISOString(),
    updated_at: feature.updatedAt.toISOString(),
    is_archived: feature.archivedAt !== null,
    is_permanent: feature.isPermanent,
    num_segment_overrides: feature._count.segmentOverrides,
    // Linked GitLab issues and merge requests.
    linked_items_count: feature._count.externalResources,
    stale: feature.signals?.stale ?? false,
    ready_to_delete: feature.signals?.readyToDelete ?? false,
    ...(feature.states && { environment_state: state ? serializeEnvironmentState(state) : null }),
  };
}

const featureOrder: Record<FeatureListFilters["sort"], Prisma.FeatureOrderByWithRelationInput[]> = {
  name: [{ name: "asc" }],
  "-name": [{ name: "desc" }],
  created_at: [{ createdAt: "asc" }, { id: "asc" }],
  "-created_at": [{ createdAt: "desc" }, { id: "desc" }],
};

/** One count and one page query (plus one per included relation), however many features match. */
export async function listFeatures(
  actor: Actor,
  projectId: number,
  filters: FeatureListFilters,
  page: PaginationQuery,
) {
  await requireProjectRole(actor, projectId, "VIEWER");
  if (filters.environment !== undefined) {
    const environment = await prisma.environment.findFirst({
      where: { id: filters.environment, projectId },
      select: { id: true },
    });
    if (!environment) {
      throw new ApiError("bad_request", "Invalid query: environment is not an environment of this project", [
        { field: "query.environment", issue: "not an environment of this project" },
      ]);
    }
  }
  const where: Prisma.FeatureWhereInput = {
    projectId,
    archivedAt: filters.archived ? { not: null } : null,
    ...(filters.search && {
      OR: [
        { name: { contains: filters.search, mode: "insensitive" } },
        { description: { contains: filters.search, mode: "insensitive" } },
      ],
    }),
    AND: filters.tags.map((tagId) => ({ tags: { some: { tagId } } })),
  };
  const [count, rows] = await Promise.all([
    prisma.feature.count({ where }),
    prisma.feature.findMany({
      where,
      orderBy: featureOrder[filters.sort],
      include: featureInclude(filters.environment),
      ...skipTake(page),
    }),
  ]);
  return { count, rows: await withSignals(prisma, rows) };
}

export async function getFeature(actor: Actor, projectId: number, featureId: number) {
  await requireProjectRole(actor, projectId, "VIEWER");
  const feature = await prisma.feature.findFirst({
    where: { id: featureId, projectId },
    include: featureInclude(),
  });
  if (!feature) throw notFound("Feature");
  const [withSignal] = await withSignals(prisma, [feature]);
  return withSignal!;
}

/** Creates a feature with a state in every environment, taken from its defaults. */
export async function createFeature(
  actor: Actor,
  projectId: number,
  input: z.infer<typeof createFeatureBody>,
) {
  const { project } = await requireProjectRole(actor, projectId, "EDITOR");
  const initial = toStoredValue(input.initial_value ?? null);
  const tagIds = [...new Set(input.tags ?? [])];
  return prisma.$transaction(async (tx) => {
    await lockProjectStructure(tx, projectId);
    await assertAssignableTags(tx, projectId, tagIds);
    const feature = await tx.feature.create({
      data: {
        projectId,
        name: input.name,
        description: input.description,
        defaultEnabled: input.default_enabled,
        valueType: initial.valueType,
        initialValue: initial.value,
        tags: { create: tagIds.map((tagId) => ({ tagId })) },
      },
    });
    const environments = await tx.environment.findMany({ where: { projectId }, select: { id: true } });
    await tx.featureState.createMany({
      data: environments.map((environment) => ({
        featureId: feature.id,
        environmentId: environment.id,
        enabled: feature.defaultEnabled,
        valueType: feature.valueType,
        value: feature.initialValue,
      })),
    });
    await recordAudit(tx, actor, {
      organisationId: project.organisationId,
      projectId,
      featureId: feature.id,
      action: "CREATE",
      entityType: "feature",
      entityId: feature.id,
      summary: `Created feature ${feature.name}`,
    });
    return tx.feature.findUniqueOrThrow({ where: { id: feature.id }, include: featureInclude() });
  });
}

interface LockedFeature extends StoredValue {
  id: number;
  name: string;
  description: string;
  defaultEnabled: boolean;
  isPermanent: boolean;
  archivedAt: Date | null;
}

/** Reads a feature of the project for update, so audit `from` values are exactly what was replaced. */
async function lockFeature(tx: Db, projectId: number, featureId: number): Promise<LockedFeature> {
  const [row] = await tx.$queryRaw<Array<Omit<LockedFeature, "value"> & { initialValue: string | null }>>`
    SELECT id, name, description, default_enabled AS "defaultEnabled", value_type::text AS "valueType",
           initial_value AS "initialValue", is_permanent AS "isPermanent", archived_at AS "archivedAt"
    FROM features
    WHERE id = ${featureId} AND project_id = ${projectId}
    FOR UPDATE`;
  if (!row) throw notFound("Feature");
  return { ...row, value: row.initialValue };
}

/**
 * PATCH of a feature. Defaults (`default_enabled`, `initial_value`) apply to environments created
 * later, not to existing states. `tags` replaces the user tags; system tags stay. `is_archived`
 * archives (hidden from the list and from GitLab status notes; states, links and history are kept)
 * or restores; `is_permanent` keeps a flag off the stale list.
 */
export async function updateFeature(
  actor: Actor,
  projectId: number,
  featureId: number,
  input: z.infer<typeof updateFeatureBody>,
) {
  const { project } = await requireProjectRole(actor, projectId, "EDITOR");
  return prisma.$transaction(async (tx) => {
    const before = await lockFeature(tx, projectId, featureId);
    const userTags = await tx.featureTag.findMany({
      where: { featureId, tag: { isSystemTag: false } },
      select: { tagId: true },
      orderBy: { tagId: "asc" },
    });
    const nextTags = input.tags && [...new Set(input.tags)].sort((a, b) => a - b);
    if (nextTags) await assertAssignableTags(tx, projectId, nextTags);
    const changes = changedFields(
      {
        name: before.name,
        description: before.description,
        default_enabled: before.defaultEnabled,
        initial_value: fromStoredValue(before.valueType, before.value),
        tags: userTags.map((tag) => tag.tagId),
        is_permanent: before.isPermanent,
        is_archived: before.archivedAt !== null,
      },
      {
        name: input.name,
        description: input.description,
        default_enabled: input.default_enabled,
        initial_value: input.initial_value,
        tags: nextTags,
        is_permanent: input.is_permanent,
        is_archived: input.is_archived,
      },
    );
    if (Object.keys(changes).length === 0) {
      const [unchanged] = await withSignals(tx, [
        await tx.feature.findUniqueOrThrow({ where: { id: featureId }, include: featureInclude() }),
      ]);
      return unchanged!;
    }
    if (changes.tags && nextTags) {
      await tx.featureTag.deleteMany({
        where: { featureId, tagId: { notIn: nextTags }, tag: { isSystemTag: false } },
      });
      await tx.featureTag.createMany({
        data: nextTags.map((tagId) => ({ featureId, tagId })),
        skipDuplicates: true,
      });
    }
    const initial = input.initial_value === undefined ? undefined : toStoredValue(input.initial_value);
    const feature = await tx.feature.update({
      where: { id: featureId },
      data: {
        name: input.name,
        description: input.description,
        defaultEnabled: input.default_enabled,
        valueType: initial?.valueType,
        initialValue: initial?.value,
        isPermanent: input.is_permanent,
        archivedAt: changes.is_archived ? (input.is_archived ? now() : null) : undefined,
      },
      include: featureInclude(),
    });
    await recordAudit(tx, actor, {
      organisationId: project.organisationId,
      projectId,
      featureId,
      action: "UPDATE",
      entityType: "feature",
      entityId: featureId,
      summary: updateSummary(changes, before.name, feature.name),
      changes,
    });
    const [updated] = await withSignals(tx, [feature]);
    return updated!;
  });
}

function updateSummary(changes: AuditChanges, before: string, after: string): string {
  if (changes.is_archived)
    return changes.is_archived.to ? `Archived feature ${after}` : `Restored feature ${after}`;
  if (changes.name) return `Renamed feature ${before} to ${after}`;
  if (changes.is_permanent && Object.keys(changes).length === 1) {
    return changes.is_permanent.to
      ? `Marked feature ${after} as permanent`
      : `Marked feature ${after} as no longer permanent`;
  }
  return `Updated feature ${after}`;
}

/** Deletes a feature with its states, segment overrides and tag links. */
export async function deleteFeature(actor: Actor, projectId: number, featureId: number) {
  const { project } = await requireProjectRole(actor, projectId, "EDITOR");
  await prisma.$transaction(async (tx) => {
    const feature = await lockFeature(tx, projectId, featureId);
    await tx.feature.delete({ where: { id: featureId } });
    await recordAudit(tx, actor, {
      organisationId: project.organisationId,
      projectId,
      featureId,
      action: "DELETE",
      entityType: "feature",
      entityId: featureId,
      summary: `Deleted feature ${feature.name}`,
      // The name outlives the feature here: GitLab notes say which flag was deleted.
      changes: { name: { from: feature.name, to: null } },
    });
  });
}
