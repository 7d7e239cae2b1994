import "server-only";
import { ApiError, forbidden, notFound } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/actor";
import { requireProjectRole } from "@/lib/auth/permissions";
import { changedFields, recordAudit } from "@/lib/audit/record-audit";
import { prisma } from "@/lib/db/client";
import type { Db } from "@/lib/db/types";
import type { Tag } from "@/lib/generated/prisma/client";
import type { createTagBody, updateTagBody } from "@/lib/validations/core";
import type { z } from "zod";

// Project tags. People create user tags (type NONE); system tags (e.g. GitLab state tags) are
// managed by Flagpost itself, so they can be neither edited, deleted nor assigned by hand.

export function serializeTag(tag: Tag) {
  return {
    id: tag.id,
    label: tag.label,
    color: tag.color,
    description: tag.description,
    type: tag.type,
    is_system_tag: tag.isSystemTag,
  };
}

export async function listTags(actor: Actor, projectId: number) {
  await requireProjectRole(actor, projectId, "VIEWER");
  return prisma.tag.findMany({ where: { projectId }, orderBy: [{ label: "asc" }, { id: "asc" }] });
}

export async function createTag(actor: Actor, projectId: number, input: z.infer<typeof createTagBody>) {
  const { project } = await requireProjectRole(actor, projectId, "EDITOR");
  return prisma.$transaction(async (tx) => {
    const tag = await tx.tag.create({
      data: {
        projectId,
        label: input.label,
        color: input.color,
        description: input.description,
        type: "NONE",
      },
    });
    await recordAudit(tx, actor, {
      organisationId: project.organisationId,
      projectId,
      action: "CREATE",
      entityType: "tag",
      entityId: tag.id,
      summary: `Created tag ${tag.label}`,
    });
    return tag;
  });
}

/** A user tag of the project, for changing it; 404 when unknown, 403 for system tags. */
async function editableTag(db: Db, projectId: number, tagId: number): Promise<Tag> {
  const tag = await db.tag.findFirst({ where: { id: tagId, projectId } });
  if (!tag) throw notFound("Tag");
  if (tag.isSystemTag) throw forbidden(`${tag.label} is a system tag; Flagpost manages it`);
  return tag;
}

export async function updateTag(
  actor: Actor,
  projectId: number,
  tagId: number,
  input: z.infer<typeof updateTagBody>,
) {
  const { project } = await requireProjectRole(actor, projectId, "EDITOR");
  return prisma.$transaction(async (tx) => {
    const before = await editableTag(tx, projectId, tagId);
    const changes = changedFields(
      { label: before.label, color: before.color, description: before.description },
      { label: input.label, color: input.color, description: input.description },
    );
    if (Object.keys(changes).length === 0) return before;
    const tag = await tx.tag.update({
      where: { id: tagId },
      data: { label: input.label, color: input.color, description: input.description },
    });
    await recordAudit(tx, actor, {
      organisationId: project.organisationId,
      projectId,
      action: "UPDATE",
      entityType: "tag",
      entityId: tagId,
      summary: `Updated tag ${tag.label}`,
      changes,
    });
    return tag;
  });
}

export async function deleteTag(actor: Actor, projectId: number, tagId: number) {
  const { project } = await requireProjectRole(actor, projectId, "EDITOR");
  await prisma.$transaction(async (tx) => {
    const tag = await editableTag(tx, projectId, tagId);
    await tx.tag.delete({ where: { id: tagId } });
    await recordAudit(tx, actor, {
      organisationId: project.organisationId,
      projectId,
      action: "DELETE",
      entityType: "tag",
      entityId: tagId,
      summary: `Deleted tag ${tag.label}`,
    });
  });
}

/** Refuses (422 on `body.tags`) tag ids that are not user tags of the project. */
export async function assertAssignableTags(db: Db, projectId: number, tagIds: number[]): Promise<void> {
  const unique = [...new Set(tagIds)];
  if (unique.length === 0) return;
  const tags = await db.tag.findMany({
    where: { id: { in: unique }, projectId },
    select: { id: true, isSystemTag: true },
  });
  const known = new Map(tags.map((tag) => [tag.id, tag]));
  const issues = unique.flatMap((id) => {
    const tag = known.get(id);
    if (!tag) return [{ field: "body.tags", issue: `tag ${id} is not a tag of this project` }];
    if (tag.isSystemTag)
      return [{ field: "body.tags", issue: `tag ${id} is a system tag and cannot be assigned by hand` }];
    return [];
  });
  if (issues.length) {
    throw new ApiError(
      "unprocessable_entity",
      `Invalid tags: ${issues.map((issue) => issue.issue).join("; ")}`,
      issues,
    );
  }
}
