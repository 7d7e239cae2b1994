import "server-only";
import { ApiError } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { prisma } from "@/lib/db/client";
import type { Db } from "@/lib/db/types";

// The link between a Flagpost user and their GitLab username. Changes made from GitLab (a flag
// command, a release rule fired by someone's merge) name the linked Flagpost user next to the
// GitLab user. Attribution only: it never grants anything (GitLab's role check decides commands).
// A username is unique within each organisation; GitLab compares usernames case-insensitively.

export interface LinkedUser {
  id: number;
  name: string;
  email: string;
}

/**
 * Sets (or clears, with null) a user's GitLab username, in the caller's transaction, and audits
 * it in each of the user's organisations. Refused when another member of one of them has it.
 */
export async function setGitLabUsername(
  tx: Db,
  actor: Actor,
  userId: number,
  gitlabUsername: string | null,
): Promise<boolean> {
  const before = await tx.user.findUniqueOrThrow({
    where: { id: userId },
    select: { email: true, gitlabUsername: true },
  });
  if (before.gitlabUsername === gitlabUsername) return false;
  const organisations = (
    await tx.organisationMember.findMany({ where: { userId }, select: { organisationId: true } })
  ).map((member) => member.organisationId);
  if (gitlabUsername) {
    // Two people claiming one name at the same moment queue here, so the second sees the first.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`gitlab-username:${gitlabUsername.toLowerCase()}`}))`;
    const taken = await tx.user.findFirst({
      where: {
        id: { not: userId },
        gitlabUsername: { equals: gitlabUsername, mode: "insensitive" },
        organisationMemberships: { some: { organisationId: { in: organisations } } },
      },
      select: { id: true },
    });
    if (taken)
      throw new ApiError(
        "conflict",
        `Another member of your organisation already has the GitLab username @${gitlabUsername}`,
        // `fields` is how every 409 names its field, so forms show the message under it.
        { fields: ["gitlab_username"] },
      );
  }
  await tx.user.update({ where: { id: userId }, data: { gitlabUsername } });
  for (const organisationId of organisations)
    await recordAudit(tx, actor, {
      organisationId,
      action: "UPDATE",
      entityType: "user",
      entityId: userId,
      summary: gitlabUsername
        ? `Linked ${before.email} to GitLab user @${gitlabUsername}`
        : `Unlinked ${before.email} from GitLab user @${before.gitlabUsername}`,
      changes: { gitlab_username: { from: before.gitlabUsername, to: gitlabUsername } },
    });
  return true;
}

/** PATCH /api/v1/me/: people link their own GitLab username. */
export async function updateMe(actor: Actor, input: { gitlab_username: string | null }) {
  if (actor.kind !== "user")
    throw new ApiError("forbidden", "An API key has no account to change; sign in as the person");
  await prisma.$transaction((tx) => setGitLabUsername(tx, actor, actor.userId, input.gitlab_username));
}

/** The one member of the organisation with this GitLab username, or null. */
export async function linkedUserForGitLabUsername(
  db: Db,
  organisationId: number,
  gitlabUsername: string | null,
): Promise<LinkedUser | null> {
  if (!gitlabUsername) return null;
  const users = await db.user.findMany({
    where: {
      gitlabUsername: { equals: gitlabUsername, mode: "insensitive" },
      organisationMemberships: { some: { organisationId } },
    },
    select: { id: true, name: true, email: true },
    take: 2,
  });
  return users.length === 1 ? users[0]! : null;
}

/** "Alice Smith (@alice in GitLab)", or "@alice in GitLab" with no linked user. */
export function gitlabActorName(gitlabUsername: string, linked: LinkedUser | null, detail?: string): string {
  const suffix = detail ? `, ${detail}` : "";
  if (!linked) return `@${gitlabUsername} in GitLab${detail ? ` (${detail})` : ""}`;
  return `${linked.name.trim() || linked.email} (@${gitlabUsername} in GitLab${suffix})`;
}
