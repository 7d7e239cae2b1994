import "server-only";
import { subscribeToAudit, type AuditEntityType } from "@/lib/audit/record-audit";
import { SERVING_CHANNEL } from "@/lib/serving/snapshot-store";

// Every audited change that can alter what an SDK is served announces itself with NOTIFY in the
// change's own transaction: PostgreSQL delivers it to every listening instance only if and when
// the transaction commits (PGlite does the same in-process), so a snapshot is never dropped for a
// change that rolled back, nor rebuilt before the change is visible.

/** Changes that no SDK answer depends on. */
const IRRELEVANT = new Set<AuditEntityType>([
  "feature_external_resource",
  "feature_tags",
  "tag",
  "project_member",
  "gitlab_integration",
  "api_key",
  "trait",
  "user",
]);

export function registerServingInvalidation(): void {
  subscribeToAudit("serving-snapshots", async (db, entry) => {
    if (IRRELEVANT.has(entry.entityType)) return;
    const payload = `${entry.projectId ?? ""}:${entry.entityType}`;
    await db.$executeRaw`SELECT pg_notify(${SERVING_CHANNEL}, ${payload})`;
  });
}
