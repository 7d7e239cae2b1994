import "server-only";
import { ApiError, notFound } from "@/lib/api/errors";
import { skipTake, type PaginationQuery } from "@/lib/api/pagination";
import type { Actor } from "@/lib/auth/actor";
import { requireProjectRole } from "@/lib/auth/permissions";
import { changedFields, recordAudit } from "@/lib/audit/record-audit";
import { prisma } from "@/lib/db/client";
import type { Prisma, Segment } from "@/lib/generated/prisma/client";
import { matchingSegmentNames, type SegmentRule } from "@/lib/engine";
import type { createSegmentBody, updateSegmentBody } from "@/lib/validations/core";
import type { testSegmentBody } from "@/lib/validations/evaluation";
import type { z } from "zod";

// Segments of a project: named groups of identities, defined by Flagsmith's rule tree (validated
// by lib/validations/segment-rules.ts before it is stored), that segment overrides target. Segments
// from before structured rules keep their old blob in legacy_rules (shown, never evaluated).

export function serializeSegment(segment: Segment) {
  return {
    id: segment.id,
    name: segment.name,
    description: segment.description,
    rules: segment.rules,
    legacy_rules: segment.legacyRules,
    project: segment.projectId,
    created_at: segment.createdAt.toISOString(),
    updated_at: segment.updatedAt.toISOString(),
  };
}

export async function listSegments(actor: Actor, projectId: number, page: PaginationQuery, search?: string) {
  await requireProjectRole(actor, projectId, "VIEWER");
  const where: Prisma.SegmentWhereInput = {
    projectId,
    ...(search && { name: { contains: search, mode: "insensitive" } }),
  };
  const [count, rows] = await Promise.all([
    prisma.segment.count({ where }),
    prisma.segment.findMany({ where, orderBy: { name: "asc" }, ...skipTake(page) }),
  ]);
  return { count, rows };
}

export async function getSegment(actor: Actor, projectId: number, segmentId: number) {
  await requireProjectRole(actor, projectId, "VIEWER");
  const segment = await prisma.segment.findFirst({ where: { id: segmentId, projectId } });
  if (!segment) throw notFound("Segment");
  return segment;
}

export async function createSegment(
  actor: Actor,
  projectId: number,
  input: z.infer<typeof createSegmentBody>,
) {
  const { project } = await requireProjectRole(actor, projectId, "EDITOR");
  return prisma.$transaction(async (tx) => {
    const segment = await tx.segment.create({
      data: {
        projectId,
        name: input.name,
        description: input.description,
        rules: input.rules as Prisma.InputJsonValue | undefined,
      },
    });
    await recordAudit(tx, actor, {
      organisationId: project.organisationId,
      projectId,
      action: "CREATE",
      entityType: "segment",
      entityId: segment.id,
      summary: `Created segment ${segment.name}`,
    });
    return segment;
  });
}

export async function updateSegment(
  actor: Actor,
  projectId: number,
  segmentId: number,
  input: z.infer<typeof updateSegmentBody>,
) {
  const { project } = await requireProjectRole(actor, projectId, "EDITOR");
  const rules = input.rules as Prisma.InputJsonValue[] | undefined;
  return prisma.$transaction(async (tx) => {
    const before = await tx.segment.findFirst({ where: { id: segmentId, projectId } });
    if (!before) throw notFound("Segment");
    const changes = changedFields(
      { name: before.name, description: before.description, rules: before.rules as Prisma.InputJsonValue },
      { name: input.name, description: input.description, rules },
    );
    if (Object.keys(changes).length === 0) return before;
    const segment = await tx.segment.update({
      where: { id: segmentId },
      data: { name: input.name, description: input.description, rules },
    });
    await recordAudit(tx, actor, {
      organisationId: project.organisationId,
      projectId,
      action: "UPDATE",
      entityType: "segment",
      entityId: segmentId,
      summary: changes.name
        ? `Renamed segment ${before.name} to ${segment.name}`
        : `Updated segment ${segment.name}`,
      changes,
    });
    return segment;
  });
}

/** Deletes a segment together with its overrides. */
export async function deleteSegment(actor: Actor, projectId: number, segmentId: number) {
  const { project } = await requireProjectRole(actor, projectId, "EDITOR");
  await prisma.$transaction(async (tx) => {
    const segment = await tx.segment.findFirst({ where: { id: segmentId, projectId } });
    if (!segment) throw notFound("Segment");
    await tx.segment.delete({ where: { id: segmentId } });
    await recordAudit(tx, actor, {
      organisationId: project.organisationId,
      projectId,
      action: "DELETE",
      entityType: "segment",
      entityId: segmentId,
      summary: `Deleted segment ${segment.name}`,
    });
  });
}

/** The segment tester: does an identity with these traits belong to a segment with these rules? */
export async function testSegmentRules(
  actor: Actor,
  projectId: number,
  input: z.infer<typeof testSegmentBody>,
) {
  await requireProjectRole(actor, projectId, "VIEWER");
  let environment = { key: "", name: "" };
  if (input.environment) {
    const row = await prisma.environment.findFirst({
      where: { apiKey: input.environment, projectId },
      select: { apiKey: true, name: true },
    });
    if (!row) {
      const issue = { field: "body.environment", issue: "not an environment of this project" };
      throw new ApiError("unprocessable_entity", `Invalid input: ${issue.field}: ${issue.issue}`, [issue]);
    }
    environment = { key: row.apiKey, name: row.name };
  }
  const key = input.segment ? String(input.segment) : "segment-under-test";
  const matched = matchingSegmentNames({
    environment,
    identity: { identifier: input.identifier, traits: input.traits },
    segments: { [key]: { key, name: key, rules: input.rules as SegmentRule[] } },
  });
  return { matches: matched.length > 0 };
}
