import "server-only";
import { ApiError, notFound } from "@/lib/api/errors";
import { skipTake, type PaginationQuery } from "@/lib/api/pagination";
import type { Actor } from "@/lib/auth/actor";
import { requireProjectRole } from "@/lib/auth/permissions";
import { changedFields, recordAudit } from "@/lib/audit/record-audit";
import { prisma } from "@/lib/db/client";
import type { ProjectMember, ProjectRole } from "@/lib/generated/prisma/client";

// Explicit project roles of organisation members. Organisation admins need none: they administer
// every project of their organisation.

type MemberRow = ProjectMember & { user: { id: number; email: string; name: string } };

const memberInclude = { user: { select: { id: true, email: true, name: true } } } as const;

export function serializeProjectMember(member: MemberRow) {
  return {
    user: { id: member.user.id, email: member.user.email, name: member.user.name },
    role: member.role,
    created_at: member.createdAt.toISOString(),
  };
}

export async function listProjectMembers(actor: Actor, projectId: number, page: PaginationQuery) {
  await requireProjectRole(actor, projectId, "VIEWER");
  const where = { projectId };
  const [count, rows] = await Promise.all([
    prisma.projectMember.count({ where }),
    prisma.projectMember.findMany({
      where,
      include: memberInclude,
      orderBy: { user: { email: "asc" } },
      ...skipTake(page),
    }),
  ]);
  return { count, rows };
}

/** Gives a member of the project's organisation a role on the project. */
export async function addProjectMember(
  actor: Actor,
  projectId: number,
  input: { user: number; role: ProjectRole },
) {
  const { project } = await requireProjectRole(actor, projectId, "ADMIN");
  return prisma.$transaction(async (tx) => {
    const inOrganisation = await tx.organisationMember.findUnique({
      where: { organisationId_userId: { organisationId: project.organisationId, userId: input.user } },
      include: { user: { select: { email: true } } },
    });
    if (!inOrganisation) {
      // Same answer for unknown users and users of other organisations: neither is visible here.
      throw new ApiError(
        "unprocessable_entity",
        "Invalid input: body.user: not a member of this project's organisation",
        [{ field: "body.user", issue: "not a member of this project's organisation" }],
      );
    }
    const email = inOrganisation.user.email;
    if (
      await tx.projectMember.findUnique({ where: { projectId_userId: { projectId, userId: input.user } } })
    ) {
      throw new ApiError("conflict", `${email} is already a member of this project`, { fields: ["user"] });
    }
    const member = await tx.projectMember.create({
      data: { projectId, userId: input.user, role: input.role },
      include: memberInclude,
    });
    await recordAudit(tx, actor, {
      organisationId: project.organisationId,
      projectId,
      action: "CREATE",
      entityType: "project_member",
      entityId: input.user,
      summary: `Added ${email} to project ${project.name} as ${input.role.toLowerCase()}`,
      changes: { role: { from: null, to: input.role } },
    });
    return member;
  });
}

export async function updateProjectMember(
  actor: Actor,
  projectId: number,
  userId: number,
  input: { role: ProjectRole },
) {
  const { project } = await requireProjectRole(actor, projectId, "ADMIN");
  return prisma.$transaction(async (tx) => {
    const before = await tx.projectMember.findUnique({
      where: { projectId_userId: { projectId, userId } },
      include: memberInclude,
    });
    if (!before) throw notFound("Project member");
    const changes = changedFields({ role: before.role }, { role: input.role });
    if (Object.keys(changes).length === 0) return before;
    const member = await tx.projectMember.update({
      where: { projectId_userId: { projectId, userId } },
      data: { role: input.role },
      include: memberInclude,
    });
    await recordAudit(tx, actor, {
      organisationId: project.organisationId,
      projectId,
      action: "UPDATE",
      entityType: "project_member",
      entityId: userId,
      summary: `Changed the role of ${before.user.email} in project ${project.name} to ${input.role.toLowerCase()}`,
      changes,
    });
    return member;
  });
}

export async function removeProjectMember(actor: Actor, projectId: number, userId: number) {
  const { project } = await requireProjectRole(actor, projectId, "ADMIN");
  await prisma.$transaction(async (tx) => {
    const member = await tx.projectMember.findUnique({
      where: { projectId_userId: { projectId, userId } },
      include: memberInclude,
    });
    if (!member) throw notFound("Project member");
    await tx.projectMember.delete({ where: { projectId_userId: { projectId, userId } } });
    await recordAudit(tx, actor, {
      organisationId: project.organisationId,
      projectId,
      action: "DELETE",
      entityType: "project_member",
      entityId: userId,
      summary: `Removed ${member.user.email} from project ${project.name}`,
      changes: { role: { from: member.role, to: null } },
    });
  });
}
