import "server-only";
import type { Actor } from "@/lib/auth/actor";
import type { Db } from "@/lib/db/types";
import type { AuditAction, Prisma } from "@/lib/generated/prisma/client";

// Every create/update/delete of a core object writes one audit row, inside the same transaction
// as the change, so the log cannot disagree with the data. Subscribers registered at boot see
// every entry in that transaction too (the GitLab status-note outbox queues its jobs there), so
// what they do commits or rolls back with the change; the audit log does not know who listens.

/** A system actor may name the Flagpost user it acted for (a GitLab user linked by username). */
export type AuditActor = Actor | { kind: "system"; label: string; userId?: number | null };

interface AuditEntryBase {
  organisationId: number;
  projectId?: number | null;
  environmentId?: number | null;
  action: AuditAction;
  entityId: number | string;
  summary: string;
  changes?: Prisma.InputJsonValue;
}

/** Changes to one feature or what hangs off it: the feature is always named. */
interface FeatureAuditEntry extends AuditEntryBase {
  entityType:
    | "feature"
    | "feature_state"
    | "segment_override"
    | "identity_override"
    | "multivariate_option"
    | "feature_external_resource"
    | "feature_tags"
    | "release_rule";
  featureId: number;
}

/** Changes to a project, or to something of the organisation, that no single feature owns. */
interface OtherAuditEntry extends AuditEntryBase {
  entityType:
    | "environment"
    | "segment"
    | "tag"
    | "project"
    | "project_member"
    | "gitlab_integration"
    | "api_key"
    | "server_key"
    | "identity"
    | "trait"
    | "user";
  featureId?: null;
}

/** What an audit row records; `entityType` tells which kind of object changed. */
export type AuditEntry = FeatureAuditEntry | OtherAuditEntry;
export type AuditEntityType = AuditEntry["entityType"];

/** Runs in the change's transaction for every audit entry; a throw rolls the change back. */
export type AuditSubscriber = (db: Db, entry: AuditEntry) => Promise<void>;

const global = globalThis as unknown as { __flagpostAuditSubscribers?: Map<string, AuditSubscriber> };
const subscribers = () => (global.__flagpostAuditSubscribers ??= new Map());

/** Registers (or replaces, by name) a subscriber; called once at boot by the module that listens. */
export function subscribeToAudit(name: string, subscriber: AuditSubscriber): void {
  subscribers().set(name, subscriber);
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

function auditRow(actor: AuditActor, entry: AuditEntry) {
  return {
    organisationId: entry.organisationId,
    projectId: entry.projectId ?? null,
    environmentId: entry.environmentId ?? null,
    featureId: entry.featureId ?? null,
    actorUserId: actor.kind === "user" || actor.kind === "system" ? (actor.userId ?? null) : null,
    actorApiKeyId: actor.kind === "apiKey" ? actor.apiKeyId : null,
    actorLabel: actor.label,
    action: entry.action,
    entityType: entry.entityType,
    entityId: String(entry.entityId),
    summary: entry.summary,
    changes: entry.changes ?? {},
  };
}

/** `db` must be the transaction of the change: the audit row and the outbox jobs belong to it. */
export async function recordAudit(db: Db, actor: AuditActor, entry: AuditEntry) {
  const row = await db.auditLog.create({ data: auditRow(actor, entry) });
  for (const subscriber of subscribers().values()) await subscriber(db, entry);
  return row;
}
