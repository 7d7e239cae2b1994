import "server-only";
import { currentDatabase } from "@/lib/db/client";
import { perDatabase } from "@/lib/db/per-database";
import type { GitLabIntegration } from "@/lib/generated/prisma/client";
import { findLiveIntegration } from "@/lib/gitlab/integration/integrations";

// The receiver's integration lookup, on every delivery. The row is kept in memory per database with
// its fingerprint: the md5 of the whole row as it was read. Any change, made through this instance
// or another one sharing the database, changes the fingerprint. A delivery starts from the
// remembered row without asking the database: the statement that accepts it inserts only while the
// fingerprint still matches (drain-deliveries.ts), and every other answer checks it first
// (`liveIntegrationForWebhook`, one small raw statement); on a mismatch the row is read again and
// the delivery handled anew. A deleted integration (no live row) therefore never accepts anything.

export interface WebhookIntegration {
  integration: GitLabIntegration;
  /** md5 of the row as it was read. */
  fingerprint: string;
}

const cacheOf = perDatabase("webhookIntegrations", (): Map<number, WebhookIntegration> => new Map());

/** The row remembered for the project, not checked against the database (null when none is). */
export function rememberedWebhookIntegration(projectId: number): WebhookIntegration | null {
  return cacheOf(currentDatabase()).get(projectId) ?? null;
}

/** The project's live GitLab integration as it is now (as findLiveIntegration answers it), or null. */
export async function liveIntegrationForWebhook(projectId: number): Promise<WebhookIntegration | null> {
  const db = currentDatabase();
  const cache = cacheOf(db);
  const [row] = await db.sql.query<{ fingerprint: string }>(
    "SELECT md5(g::text) AS fingerprint FROM gitlab_integrations g WHERE g.live_project_id = $1",
    [projectId],
  );
  if (!row) {
    cache.delete(projectId);
    return null;
  }
  const cached = cache.get(projectId);
  if (cached?.fingerprint === row.fingerprint) return cached;
  const integration = await findLiveIntegration(db.prisma, projectId);
  if (!integration) {
    cache.delete(projectId);
    return null;
  }
  // Read after the fingerprint: if the row changed in between, the next check sees a different
  // fingerprint and reads it again.
  const fresh = { fingerprint: row.fingerprint, integration };
  cache.set(projectId, fresh);
  return fresh;
}
