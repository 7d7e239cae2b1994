import type { Actor } from "@/lib/auth/actor";
import type { Db } from "@/lib/db/types";
import type { AuditAction, Prisma } from "@/lib/generated/prisma/client";
import { queueStatusNoteSyncs } from "@/lib/gitlab/notes/status-note-outbox";

// Every create/update/delete of a core object writes one audit row, inside the same transaction
// as the change, so the log cannot disagree with the data. The row also drives the GitLab status
// notes outbox (lib/gitlab/notes/status-note-outbox.ts): the jobs a change needs are queued right here,
// in the same transaction, so they commit or roll back with it.

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

type JsonField = Prisma.InputJsonValue | null;
export type AuditChanges = Record<string, { from: JsonField; to: JsonField }>;

/** JSON text with object keys sorted: jsonb columns do not keep the key order they were sent in. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

/**
 * The `changes` of an update: every field of `after` that was sent (not undefined) and differs
 * from its value in `before`. Fields are compared as JSON, so arrays and objects work too.
 */
export function changedFields(
  before: Record<string, JsonField>,
  after: Record<string, JsonField | undefined>,
): AuditChanges {
  const changes: AuditChanges = {};
  for (const [field, to] of Object.entries(after)) {
    if (to === undefined) continue;
    const from = before[field] ?? null;
    if (canonicalJson(from) !== canonicalJson(to)) changes[field] = { from, to };
  }
  return changes;
}

/** `db` must be the transaction of the change: the audit row and the outbox jobs belong to it. */
export async function recordAudit(db: Db, actor: AuditActor, entry: AuditEntry) {
  const row = await db.auditLog.create({
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
  await queueStatusNoteSyncs(db, entry);
  return row;
}
