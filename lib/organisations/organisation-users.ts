import "server-only";
import { ApiError, notFound } from "@/lib/api/errors";
import { skipTake, type PaginationQuery } from "@/lib/api/pagination";
import type { Actor } from "@/lib/auth/actor";
import { hashPassword } from "@/lib/auth/password";
import { requireOrganisationAdmin, requireOrganisationMember } from "@/lib/auth/permissions";
import { changedFields, recordAudit } from "@/lib/audit/record-audit";
import { prisma } from "@/lib/db/client";
import type { Db } from "@/lib/db/types";
import { setGitLabUsername } from "@/lib/organisations/gitlab-usernames";
import type { OrganisationMember, OrganisationRole } from "@/lib/generated/prisma/client";
import type { createUserBody } from "@/lib/validations/core";
import type { z } from "zod";

// The people of an organisation. Organisation admins add accounts, change roles and remove
// people; an organisation always keeps at least one admin.

type OrganisationUserRow = OrganisationMember & {
  user: { id: number; email: string; name: string; createdAt: Date; gitlabUsername: string | null };
};

const userInclude = {
  user: { select: { id: true, email: true, name: true, createdAt: true, gitlabUsername: true } },
} as const;

export function serializeOrganisationUser(member: OrganisationUserRow) {
  return {
    id: member.user.id,
    email: member.user.email,
    name: member.user.name,
    role: member.role,
    gitlab_username: member.user.gitlabUsername,
    created_at: member.user.createdAt.toISOString(),
  };
}

export async function listOrganisationUsers(actor: Actor, organisationId: number, page: PaginationQuery) {
  await requireOrganisationMember(actor, organisationId);
  const where = { organisationId };
  const [count, rows] = await Promise.all([
    prisma.organisationMember.count({ where }),
    prisma.organisationMember.findMany({
      where,
      include: userInclude,
      orderBy: { user: { email: "asc" } },
      ...skipTake(page),
    }),
  ]);
  return { count, rows };
}

/** Creates an account (scrypt password) that belongs to the organisation. */
export async function createOrganisationUser(
  actor: Actor,
  organisationId: number,
  input: z.infer<typeof createUserBody>,
) {
  await requireOrganisationAdmin(actor, organisationId);
  const passwordHash = await hashPassword(input.password);
  return prisma.$transaction(async (tx) => {
    const user = await tx.user.create({ data: { email: input.email, name: input.name ?? "", passwordHash } });
    const member = await tx.organisationMember.create({
      data: { organisationId, userId: user.id, role: input.role },
      include: userInclude,
    });
    await recordAudit(tx, actor, {
      organisationId,
      action: "CREATE",
      entityType: "user",
      entityId: user.id,
      summary: `Added user ${user.email} as organisation ${input.role.toLowerCase()}`,
      changes: { role: { from: null, to: input.role } },
    });
    return member;
  });
}

/**
 * Locks the organisation's admin memberships and returns their user ids. Two admins demoting or
 * removing each other at the same moment queue here, so the second sees that it would be the last.
 */
async function lockAdmins(tx: Db, organisationId: number): Promise<number[]> {
  const rows = await tx.$queryRaw<Array<{ userId: number }>>`
    SELECT user_id AS "userId" FROM organisation_members
    WHERE organisation_id = ${organisationId} AND role = 'ADMIN'
    FOR UPDATE`;
  return rows.map((row) => row.userId);
}

async function memberForChange(tx: Db, organisationId: number, userId: number) {
  const member = await tx.organisationMember.findUnique({
    where: { organisationId_userId: { organisationId, userId } },
    include: userInclude,
  });
  if (!member) throw notFound("User");
  return member;
}

function lastAdminConflict(email: string) {
  return new ApiError(
    "conflict",
    `${email} is the last admin of this organisation; make someone else an admin first`,
  );
}

export async function updateOrganisationUser(
  actor: Actor,
  organisationId: number,
  userId: number,
  input: { role?: OrganisationRole; gitlab_username?: string | null },
) {
  await requireOrganisationAdmin(actor, organisationId);
  return prisma.$transaction(async (tx) => {
    const admins = await lockAdmins(tx, organisationId);
    let before = await memberForChange(tx, organisationId, userId);
    if (input.gitlab_username !== undefined) {
      await setGitLabUsername(tx, actor, userId, input.gitlab_username);
      before = await memberForChange(tx, organisationId, userId);
    }
    const changes = changedFields({ role: before.role }, { role: input.role });
    if (!input.role || Object.keys(changes).length === 0) return before;
    if (before.role === "ADMIN" && admins.length <= 1) throw lastAdminConflict(before.user.email);
    const member = await tx.organisationMember.update({
      where: { organisationId_userId: { organisationId, userId } },
      data: { role: input.role },
      include: userInclude,
    });
    await recordAudit(tx, actor, {
      organisationId,
      action: "UPDATE",
      entityType: "user",
      entityId: userId,
      summary: `Made ${before.user.email} an organisation ${input.role.toLowerCase()}`,
      changes,
    });
    return member;
  });
}

/**
 * Removes someone from the organisation and its projects. An account left without any
 * organisation is deleted, since it could sign in but never see anything.
 */
export async function removeOrganisationUser(actor: Actor, organisationId: number, userId: number) {
  await requireOrganisationAdmin(actor, organisationId);
  await prisma.$transaction(async (tx) => {
    const admins = await lockAdmins(tx, organisationId);
    const member = await memberForChange(tx, organisationId, userId);
    if (member.role === "ADMIN" && admins.length <= 1) throw lastAdminConflict(member.user.email);
    await tx.projectMember.deleteMany({ where: { userId, project: { organisationId } } });
    await tx.organisationMember.delete({ where: { organisationId_userId: { organisationId, userId } } });
    if ((await tx.organisationMember.count({ where: { userId } })) === 0)
      await tx.user.delete({ where: { id: userId } });
    await recordAudit(tx, actor, {
      organisationId,
      action: "DELETE",
      entityType: "user",
      entityId: userId,
      summary: `Removed ${member.user.email} from the organisation`,
      changes: { role: { from: member.role, to: null } },
    });
  });
}
