import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { API_KEY_PROJECT_ROLE, visibleProjectsWhere } from "@/lib/auth/permissions";
import { prisma } from "@/lib/db/client";
import type { OrganisationRole, ProjectRole } from "@/lib/generated/prisma/client";

// GET /api/v1/me/: who the caller is, with every organisation and project they can see and their
// effective role there (organisation admins are admins of all their organisation's projects).

interface Membership {
  organisations: Array<{ id: number; name: string; role: OrganisationRole }>;
  projects: Array<{ id: number; name: string; organisation: number; role: ProjectRole }>;
}

export async function describeActor(actor: Actor) {
  if (actor.kind === "apiKey") {
    const [apiKey, organisation, projects] = await Promise.all([
      prisma.apiKey.findUniqueOrThrow({
        where: { id: actor.apiKeyId },
        select: { id: true, name: true, role: true, expiresAt: true },
      }),
      prisma.organisation.findUniqueOrThrow({ where: { id: actor.organisationId } }),
      prisma.project.findMany({ where: { organisationId: actor.organisationId }, orderBy: { name: "asc" } }),
    ]);
    const membership: Membership = {
      organisations: [
        { id: organisation.id, name: organisation.name, role: actor.role === "ADMIN" ? "ADMIN" : "MEMBER" },
      ],
      projects: projects.map((project) => ({
        id: project.id,
        name: project.name,
        organisation: project.organisationId,
        role: API_KEY_PROJECT_ROLE[actor.role],
      })),
    };
    return {
      api_key: {
        id: apiKey.id,
        name: apiKey.name,
        role: apiKey.role,
        expires_at: apiKey.expiresAt?.toISOString() ?? null,
      },
      ...membership,
    };
  }
  const [user, organisationMemberships, projects] = await Promise.all([
    prisma.user.findUniqueOrThrow({
      where: { id: actor.userId },
      select: { id: true, email: true, name: true, gitlabUsername: true },
    }),
    prisma.organisationMember.findMany({
      where: { userId: actor.userId },
      include: { organisation: true },
      orderBy: { organisation: { name: "asc" } },
    }),
    prisma.project.findMany({
      where: await visibleProjectsWhere(actor),
      include: { members: { where: { userId: actor.userId }, select: { role: true } } },
      orderBy: { name: "asc" },
    }),
  ]);
  const adminOf = new Set(
    organisationMemberships.filter((m) => m.role === "ADMIN").map((m) => m.organisationId),
  );
  const membership: Membership = {
    organisations: organisationMemberships.map((m) => ({
      id: m.organisation.id,
      name: m.organisation.name,
      role: m.role,
    })),
    projects: projects.map((project) => ({
      id: project.id,
      name: project.name,
      organisation: project.organisationId,
      role: adminOf.has(project.organisationId) ? "ADMIN" : (project.members[0]?.role ?? "VIEWER"),
    })),
  };
  const { gitlabUsername, ...account } = user;
  return { ...account, gitlab_username: gitlabUsername, ...membership };
}
