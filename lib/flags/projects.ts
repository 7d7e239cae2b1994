import "server-only";
import { randomBytes } from "node:crypto";
import { ApiError } from "@/lib/api/errors";
import { skipTake, type PaginationQuery } from "@/lib/api/pagination";
import type { Actor } from "@/lib/auth/actor";
import { requireOrganisationAdmin, requireProjectRole, visibleProjectsWhere } from "@/lib/auth/permissions";
import { recordAudit } from "@/lib/audit/record-audit";
import { prisma } from "@/lib/db/client";
import type { Db } from "@/lib/db/types";
import type { Project } from "@/lib/generated/prisma/client";
import { isProductionName, type createProjectBody, type updateProjectBody } from "@/lib/validations/core";
import type { z } from "zod";

export function serializeProject(project: Project) {
  return {
    id: project.id,
    name: project.name,
    organisation: project.organisationId,
    stale_flag_threshold_days: project.staleFlagThresholdDays,
    hide_disabled_flags: project.hideDisabledFlags,
    created_at: project.createdAt.toISOString(),
  };
}

export function newEnvironmentApiKey(): string {
  return randomBytes(16).toString("base64url");
}

/**
 * Serialises creating features and environments in one project (call inside the transaction).
 * Without it a feature and an environment created at the same moment would each miss the other,
 * leaving the feature without a state there. NO KEY UPDATE leaves inserts of child rows unblocked.
 */
export async function lockProjectStructure(tx: Db, projectId: number): Promise<void> {
  await tx.$queryRaw`SELECT id FROM projects WHERE id = ${projectId} FOR NO KEY UPDATE`;
}

export async function listProjects(actor: Actor, page: PaginationQuery, search?: string) {
  const where = {
    AND: [
      await visibleProjectsWhere(actor),
      search ? { name: { contains: search, mode: "insensitive" as const } } : {},
    ],
  };
  const [count, rows] = await Promise.all([
    prisma.project.count({ where }),
    prisma.project.findMany({ where, orderBy: { name: "asc" }, ...skipTake(page) }),
  ]);
  return { count, rows };
}

/** The organisation a new project goes into: the one named, or the caller's only admin organisation. */
async function targetOrganisation(actor: Actor, requested?: number): Promise<number> {
  if (requested) return requested;
  if (actor.kind === "apiKey") return actor.organisationId;
  const adminOf = await prisma.organisationMember.findMany({
    where: { userId: actor.userId, role: "ADMIN" },
  });
  if (adminOf.length === 1) return adminOf[0]!.organisationId;
  if (adminOf.length === 0) throw new ApiError("forbidden", "Only organisation admins can create projects");
  throw new ApiError(
    "unprocessable_entity",
    "You administer several organisations: say which in `organisation`",
    [{ field: "body.organisation", issue: "required when you administer several organisations" }],
  );
}

export async function createProject(actor: Actor, input: z.infer<typeof createProjectBody>) {
  const organisationId = await targetOrganisation(actor, input.organisation);
  await requireOrganisationAdmin(actor, organisationId);
  return prisma.$transaction(async (tx) => {
    const project = await tx.project.create({ data: { name: input.name, organisationId } });
    await recordAudit(tx, actor, {
      organisationId,
      projectId: project.id,
      action: "CREATE",
      entityType: "project",
      entityId: project.id,
      summary: `Created project ${project.name}`,
    });
    if (input.create_default_environments) {
      for (const name of ["Development", "Production"]) {
        const environment = await tx.environment.create({
          data: {
            projectId: project.id,
            name,
            apiKey: newEnvironmentApiKey(),
            protected: isProductionName(name),
          },
        });
        await recordAudit(tx, actor, {
          organisationId,
          projectId: project.id,
          environmentId: environment.id,
          action: "CREATE",
          entityType: "environment",
          entityId: environment.id,
          summary: `Created environment ${name}`,
        });
      }
    }
    return project;
  });
}

export async function getProject(actor: Actor, projectId: number) {
  await requireProjectRole(actor, projectId, "VIEWER");
  return prisma.project.findUniqueOrThrow({ where: { id: projectId } });
}

export async function updateProject(
  actor: Actor,
  projectId: number,
  input: z.infer<typeof updateProjectBody>,
) {
  const { project } = await requireProjectRole(actor, projectId, "ADMIN");
  return prisma.$transaction(async (tx) => {
    const before = await tx.project.findUniqueOrThrow({ where: { id: projectId } });
    const updated = await tx.project.update({
      where: { id: projectId },
      data: {
        name: input.name,
        staleFlagThresholdDays: input.stale_flag_threshold_days,
        hideDisabledFlags: input.hide_disabled_flags,
      },
    });
    await recordAudit(tx, actor, {
      organisationId: project.organisationId,
      projectId,
      action: "UPDATE",
      entityType: "project",
      entityId: projectId,
      summary: `Updated project ${updated.name}`,
      changes: {
        name: { from: before.name, to: updated.name },
        stale_flag_threshold_days: {
          from: before.staleFlagThresholdDays,
          to: updated.staleFlagThresholdDays,
        },
        hide_disabled_flags: { from: before.hideDisabledFlags, to: updated.hideDisabledFlags },
      },
    });
    return updated;
  });
}

export async function deleteProject(actor: Actor, projectId: number) {
  const { project } = await requireProjectRole(actor, projectId, "ADMIN");
  await prisma.$transaction(async (tx) => {
    await tx.project.delete({ where: { id: projectId } });
    // The project's own audit rows stay (they are plain columns) and this one records the deletion.
    await recordAudit(tx, actor, {
      organisationId: project.organisationId,
      projectId,
      action: "DELETE",
      entityType: "project",
      entityId: projectId,
      summary: `Deleted project ${project.name}`,
    });
  });
}
