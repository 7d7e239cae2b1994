import "server-only";
import { skipTake, type PaginationQuery } from "@/lib/api/pagination";
import type { Actor } from "@/lib/auth/actor";
import { requireOrganisationMember } from "@/lib/auth/permissions";
import { prisma } from "@/lib/db/client";
import type { Organisation, OrganisationRole } from "@/lib/generated/prisma/client";

// The organisations a caller belongs to, with their role in each. An API key belongs to exactly
// one organisation, as its admin.

export interface OrganisationWithRole {
  organisation: Organisation;
  role: OrganisationRole;
}

export function serializeOrganisation({ organisation, role }: OrganisationWithRole) {
  return { id: organisation.id, name: organisation.name, role };
}

export async function listOrganisations(
  actor: Actor,
  page: PaginationQuery,
): Promise<{ count: number; rows: OrganisationWithRole[] }> {
  if (actor.kind === "apiKey") {
    const organisation = await prisma.organisation.findUniqueOrThrow({ where: { id: actor.organisationId } });
    return {
      count: 1,
      rows: page.page === 1 ? [{ organisation, role: actor.role === "ADMIN" ? "ADMIN" : "MEMBER" }] : [],
    };
  }
  const where = { userId: actor.userId };
  const [count, memberships] = await Promise.all([
    prisma.organisationMember.count({ where }),
    prisma.organisationMember.findMany({
      where,
      include: { organisation: true },
      orderBy: [{ organisation: { name: "asc" } }, { organisationId: "asc" }],
      ...skipTake(page),
    }),
  ]);
  return { count, rows: memberships };
}

export async function getOrganisation(actor: Actor, organisationId: number): Promise<OrganisationWithRole> {
  const role = await requireOrganisationMember(actor, organisationId);
  return {
    organisation: await prisma.organisation.findUniqueOrThrow({ where: { id: organisationId } }),
    role,
  };
}
