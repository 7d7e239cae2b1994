import "server-only";
import { skipTake, type PaginationQuery } from "@/lib/api/pagination";
import type { Actor } from "@/lib/auth/actor";
import { requireOrganisationAdmin, requireProjectRole } from "@/lib/auth/permissions";
import { prisma } from "@/lib/db/client";
import type { AuditLog, Prisma } from "@/lib/generated/prisma/client";
import type { AuditLogFilters } from "@/lib/validations/core";

// Reading the audit log, newest first: one project's entries (project viewers) or a whole
// organisation's (organisation admins, since it spans projects a member may not see).

export function serializeAuditEntry(entry: AuditLog) {
  return {
    id: Number(entry.id),
    created_at: entry.createdAt.toISOString(),
    actor: entry.actorLabel,
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId,
    summary: entry.summary,
    changes: entry.changes,
    project: entry.projectId,
    environment: entry.environmentId,
    feature: entry.featureId,
  };
}

async function listAuditEntries(
  scope: Prisma.AuditLogWhereInput,
  filters: AuditLogFilters,
  page: PaginationQuery,
) {
  const where: Prisma.AuditLogWhereInput = {
    ...scope,
    featureId: filters.feature,
    environmentId: filters.environment,
    ...(filters.search && {
      OR: [
        { summary: { contains: filters.search, mode: "insensitive" } },
        { actorLabel: { contains: filters.search, mode: "insensitive" } },
      ],
    }),
  };
  const [count, rows] = await Promise.all([
    prisma.auditLog.count({ where }),
    prisma.auditLog.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], ...skipTake(page) }),
  ]);
  return { count, rows };
}

export async function listProjectAuditLog(
  actor: Actor,
  projectId: number,
  filters: AuditLogFilters,
  page: PaginationQuery,
) {
  await requireProjectRole(actor, projectId, "VIEWER");
  return listAuditEntries({ projectId }, filters, page);
}

export async function listOrganisationAuditLog(
  actor: Actor,
  organisationId: number,
  filters: AuditLogFilters,
  page: PaginationQuery,
) {
  await requireOrganisationAdmin(actor, organisationId);
  return listAuditEntries({ organisationId }, filters, page);
}
