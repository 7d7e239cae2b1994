import "server-only";
import { ApiError, notFound } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/actor";
import { prisma } from "@/lib/db/client";
import type { ApiKeyRole, Environment, Prisma, ProjectRole } from "@/lib/generated/prisma/client";

// Authorization predicates, all in one place. Every route handler and server action calls one of
// these itself; nothing relies on middleware. Organisation admins and admin API keys are admins of
// every project in their organisation; editor and read-only keys act as editors and viewers of
// every project there (and as plain members of the organisation); other members need a project role.

const rank: Record<ProjectRole, number> = { VIEWER: 1, EDITOR: 2, ADMIN: 3 };

/** The project role an organisation API key acts with in every project of its organisation. */
export const API_KEY_PROJECT_ROLE: Record<ApiKeyRole, ProjectRole> = {
  READ_ONLY: "VIEWER",
  EDITOR: "EDITOR",
  ADMIN: "ADMIN",
};

export interface ProjectAccess {
  project: { id: number; organisationId: number; name: string };
  role: ProjectRole;
  isOrganisationAdmin: boolean;
}

async function organisationRole(actor: Actor, organisationId: number): Promise<"ADMIN" | "MEMBER" | null> {
  if (actor.kind === "apiKey") {
    if (actor.organisationId !== organisationId) return null;
    return actor.role === "ADMIN" ? "ADMIN" : "MEMBER";
  }
  const membership = await prisma.organisationMember.findUnique({
    where: { organisationId_userId: { organisationId, userId: actor.userId } },
  });
  return membership?.role ?? null;
}

export async function requireOrganisationMember(
  actor: Actor,
  organisationId: number,
): Promise<"ADMIN" | "MEMBER"> {
  const role = await organisationRole(actor, organisationId);
  if (!role) throw notFound("Organisation");
  return role;
}

export async function requireOrganisationAdmin(actor: Actor, organisationId: number): Promise<void> {
  const role = await requireOrganisationMember(actor, organisationId);
  if (role !== "ADMIN") throw new ApiError("forbidden", "Only organisation admins can do this");
}

/** The actor's effective role on a project, or null when they have none. 404 if it is hidden. */
export async function projectAccess(actor: Actor, projectId: number): Promise<ProjectAccess | null> {
  const project = await prisma.project.findUnique({
    where: { id: projectId },
    select: { id: true, organisationId: true, name: true },
  });
  if (!project) throw notFound("Project");
  const orgRole = await organisationRole(actor, project.organisationId);
  if (!orgRole) throw notFound("Project");
  if (orgRole === "ADMIN") return { project, role: "ADMIN", isOrganisationAdmin: true };
  if (actor.kind === "apiKey")
    return { project, role: API_KEY_PROJECT_ROLE[actor.role], isOrganisationAdmin: false };
  const membership = await prisma.projectMember.findUnique({
    where: { projectId_userId: { projectId, userId: actor.userId } },
  });
  return membership ? { project, role: membership.role, isOrganisationAdmin: false } : null;
}

export async function requireProjectRole(
  actor: Actor,
  projectId: number,
  minimum: ProjectRole,
): Promise<ProjectAccess> {
  const access = await projectAccess(actor, projectId);
  if (!access) throw new ApiError("forbidden", "You are not a member of this project");
  if (rank[access.role] < rank[minimum]) {
    throw new ApiError(
      "forbidden",
      `This needs the ${minimum.toLowerCase()} role on the project; you are ${access.role.toLowerCase()}`,
    );
  }
  return access;
}

/** An environment addressed by its api_key, with the actor's role on its project checked. */
export async function requireEnvironmentRole(
  actor: Actor,
  environmentApiKey: string,
  minimum: ProjectRole,
): Promise<ProjectAccess & { environment: Environment }> {
  const environment = await prisma.environment.findUnique({ where: { apiKey: environmentApiKey } });
  if (!environment) throw notFound("Environment");
  try {
    return { ...(await requireProjectRole(actor, environment.projectId, minimum)), environment };
  } catch (error) {
    // A hidden project means the environment does not exist as far as this caller knows.
    if (error instanceof ApiError && error.code === "not_found") throw notFound("Environment");
    throw error;
  }
}

export function hasProjectRole(access: ProjectAccess, minimum: ProjectRole): boolean {
  return rank[access.role] >= rank[minimum];
}

/** A where-clause selecting the projects the actor may at least view. */
export async function visibleProjectsWhere(actor: Actor): Promise<Prisma.ProjectWhereInput> {
  if (actor.kind === "apiKey") return { organisationId: actor.organisationId };
  const adminOf = await prisma.organisationMember.findMany({
    where: { userId: actor.userId, role: "ADMIN" },
    select: { organisationId: true },
  });
  return {
    OR: [
      { organisationId: { in: adminOf.map((row) => row.organisationId) } },
      { members: { some: { userId: actor.userId } } },
    ],
  };
}
