import type { Actor } from "@/lib/auth/actor";
import type { Db } from "@/lib/db/types";
import type { AuditAction, Prisma } from "@/lib/generated/prisma/client";

// Every create/update/delete of a core object writes one audit row, inside the same transaction
// as the change, so the log cannot disagree with the data.

export type AuditActor = Actor | { kind: "system"; label: string };

export interface AuditEntry {
  organisationId: number;
  projectId?: number | null;
  environmentId?: number | null;
  featureId?: number | null;
  action: AuditAction;
  entityType: string;
  entityId: number | string;
  summary: string;
  changes?: Prisma.InputJsonValue;
}

export async function recordAudit(db: Db, actor: AuditActor, entry: AuditEntry) {
  return db.auditLog.create({
    data: {
      organisationId: entry.organisationId,
      projectId: entry.projectId ?? null,
      environmentId: entry.environmentId ?? null,
      featureId: entry.featureId ?? null,
      actorUserId: actor.kind === "user" ? actor.userId : null,
      actorApiKeyId: actor.kind === "apiKey" ? actor.apiKeyId : null,
      actorLabel: actor.label,
      action: entry.action,
      entityType: entry.entityType,
      entityId: String(entry.entityId),
      summary: entry.summary,
      changes: entry.changes ?? {},
    },
  });
}
