import "server-only";
import { prisma } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import type { JobGroup } from "@/lib/jobs/registry";

// Every job of a GitLab integration belongs to its group: while GitLab rejects the token (or the
// integration is deleted) the queue skips them, and they run with their attempts intact once the
// token is rotated. The token status stays the one source of truth; the queue only reads it.

const PREFIX = "gitlab-integration";

export function integrationJobGroup(integrationId: number): string {
  return `${PREFIX}:${integrationId}`;
}

export const gitlabIntegrationJobGroup: JobGroup = {
  prefix: PREFIX,
  pausedKeys: Prisma.sql`SELECT ${`${PREFIX}:`} || g.id FROM gitlab_integrations g WHERE g.token_status = 'INVALID' OR g.deleted_at IS NOT NULL`,
  async pause(groupKey, reason) {
    const id = Number(groupKey.slice(PREFIX.length + 1));
    await prisma.gitLabIntegration.updateMany({
      where: { id },
      data: { tokenStatus: "INVALID", tokenStatusReason: reason, tokenCheckedAt: new Date() },
    });
  },
};
