import "server-only";
import { now } from "@/lib/clock";
import { prisma } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import type { JobGroup } from "@/lib/jobs/registry";

// Every job of a GitLab integration belongs to its group: while GitLab rejects the token (or the
// integration is deleted) the queue skips them, and they run with their attempts intact once the
// token is rotated. The token status stays the one source of truth; the queue only reads it.
// While GitLab does not answer (network errors, 5xx) the jobs keep retrying and the integration
// records since when (`unreachable_since`, shown on its page); the first answer clears it.

const PREFIX = "gitlab-integration";

export function integrationJobGroup(integrationId: number): string {
  return `${PREFIX}:${integrationId}`;
}

const integrationIdOf = (groupKey: string) => Number(groupKey.slice(PREFIX.length + 1));

export const gitlabIntegrationJobGroup: JobGroup = {
  prefix: PREFIX,
  pausedKeys: Prisma.sql`SELECT ${`${PREFIX}:`} || g.id FROM gitlab_integrations g WHERE g.token_status = 'INVALID' OR g.deleted_at IS NOT NULL`,
  async pause(groupKey, reason) {
    await prisma.gitLabIntegration.updateMany({
      where: { id: integrationIdOf(groupKey) },
      data: { tokenStatus: "INVALID", tokenStatusReason: reason, tokenCheckedAt: new Date() },
    });
  },
  async markUnreachable(groupKey) {
    // Only the first failure of an outage writes: "since" is when it began. Raw SQL so that
    // updated_at keeps meaning "settings changed".
    await prisma.$executeRaw`
      UPDATE gitlab_integrations SET unreachable_since = ${now()}::timestamptz
      WHERE id = ${integrationIdOf(groupKey)} AND unreachable_since IS NULL`;
  },
  async markReachable(groupKey) {
    // Runs after every successful job: a no-op statement unless an outage was recorded.
    const cleared = await prisma.$executeRaw`
      UPDATE gitlab_integrations SET unreachable_since = NULL
      WHERE id = ${integrationIdOf(groupKey)} AND unreachable_since IS NOT NULL`;
    return cleared > 0;
  },
};
