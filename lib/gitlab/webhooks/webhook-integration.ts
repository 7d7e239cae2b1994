import "server-only";
import { currentDatabase } from "@/lib/db/client";
import { perDatabase } from "@/lib/db/per-database";
import type { GitLabIntegration } from "@/lib/generated/prisma/client";
import { findLiveIntegration } from "@/lib/gitlab/integration/integrations";

// The receiver's integration lookup, on every delivery. The row is kept in memory per database and
// checked with one small raw statement: the md5 of the whole row as it is now. Any change, made
// through this instance or another one sharing the database, changes the fingerprint, and the row
// is read again; a deleted integration (no live row) is never served from memory. The check is a
// plain query on the database's raw session: a Prisma query costs several times as much, and on
// the embedded database every statement of every request runs on the one thread.

interface Cached {
  fingerprint: string;
  integration: GitLabIntegration;
}

const cacheOf = perDatabase("webhookIntegrations", (): Map<number, Cached> => new Map());

/** The project's live GitLab integration (as findLiveIntegration answers it), or null. */
export async function liveIntegrationForWebhook(projectId: number): Promise<GitLabIntegration | null> {
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
  if (cached?.fingerprint === row.fingerprint) return cached.integration;
  const integration = await findLiveIntegration(db.prisma, projectId);
  // Read after the fingerprint: if the row changed in between, the next delivery sees a different
  // fingerprint and reads it again.
  if (integration) cache.set(projectId, { fingerprint: row.fingerprint, integration });
  else cache.delete(projectId);
  return integration;
}
