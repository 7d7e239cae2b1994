import "server-only";
import type { AuditActor } from "@/lib/audit/record-audit";
import { SecretKeyMismatchError } from "@/lib/crypto/secret-box";
import { prisma } from "@/lib/db/client";
import type { ExternalResource, GitLabIntegration } from "@/lib/generated/prisma/client";
import { gitlabClientForIntegration, type GitLabClient } from "@/lib/gitlab/client/client";
import { syncFeatureGitLabTags } from "@/lib/gitlab/links/feature-tags";
import { askGitLab } from "@/lib/gitlab/integration/integrations";
import {
  compareMetadata,
  metadataColumns,
  metadataData,
  planRefresh,
  type GitLabItem,
  type LinkView,
  type MetadataColumns,
  type RefreshGroup,
} from "@/lib/gitlab/links/link-metadata";
import { logger } from "@/lib/logger";

// Keeps the cached metadata of linked items current without one GitLab call per item: the rows
// that need it are re-read with one `iids[]` request per GitLab project and kind, all at once and
// under a short deadline. Whatever GitLab does not answer in time is served from the cache and
// flagged stale, so a slow or failing GitLab never makes the Links tab slow or fail.

/** The whole refresh (all groups run in parallel) waits at most this long for GitLab. */
const REFRESH_TIMEOUT_MS = 3_000;

const refreshActor: AuditActor = { kind: "system", label: "GitLab metadata refresh" };

interface GroupAnswer {
  group: RefreshGroup;
  items: Map<number, GitLabItem> | null;
  error?: string;
}

async function readGroup(client: GitLabClient, group: RefreshGroup): Promise<Map<number, GitLabItem>> {
  const filters = { iids: group.iids, perPage: group.iids.length, state: undefined };
  const page =
    group.type === "GITLAB_MR"
      ? await client.mergeRequests.list(group.gitlabProjectId, filters)
      : await client.issues.list(group.gitlabProjectId, filters);
  return new Map<number, GitLabItem>(page.items.map((item) => [item.iid, item]));
}

function sessionFor(
  integration: GitLabIntegration | null,
): { integration: GitLabIntegration; client: GitLabClient } | null {
  // A token GitLab rejected stays rejected until rotated: asking again only adds failed calls.
  if (!integration || integration.tokenStatus === "INVALID") return null;
  try {
    return {
      integration,
      client: gitlabClientForIntegration(integration, { timeoutMs: REFRESH_TIMEOUT_MS }),
    };
  } catch (error) {
    if (error instanceof SecretKeyMismatchError) return null;
    throw error;
  }
}

/**
 * Re-reads the metadata of `rows` (links of one Flagpost project's features) that is older than a minute, or
 * all of it when `force` is set, and stores what GitLab answered. A state change GitLab reports
 * here (a webhook that never arrived) re-derives the features' GitLab tags in the same
 * transaction. Returns every row with whether it is still stale.
 */
export async function refreshLinks(
  integration: GitLabIntegration | null,
  projectId: number,
  rows: ExternalResource[],
  { force = false }: { force?: boolean } = {},
): Promise<LinkView[]> {
  const now = new Date();
  const groups = planRefresh(rows, now, { force });
  if (groups.length === 0) return rows.map((row) => ({ row, stale: false }));
  const rowsOf = (group: RefreshGroup) =>
    rows.filter(
      (row) =>
        row.gitlabProjectId === group.gitlabProjectId &&
        row.type === group.type &&
        group.iids.includes(row.iid),
    );

  const session = sessionFor(integration);
  const answers: GroupAnswer[] = session
    ? await Promise.all(
        groups.map(async (group): Promise<GroupAnswer> => {
          try {
            // askGitLab marks a token GitLab rejects (401) as invalid, so later listings stop asking.
            return {
              group,
              items: await askGitLab(session.integration, `GitLab project ${group.gitlabProjectId}`, () =>
                readGroup(session.client, group),
              ),
            };
          } catch (error) {
            return { group, items: null, error: error instanceof Error ? error.message : String(error) };
          }
        }),
      )
    : groups.map((group) => ({ group, items: null }));
  const failures = answers.filter((answer) => answer.error);
  if (failures.length > 0) {
    logger.warn("Could not refresh linked GitLab items; serving cached metadata", {
      failedRequests: failures.length,
      requests: answers.length,
      error: failures[0]!.error,
    });
  }

  const staleIds = new Set<number>();
  const confirmed: number[] = [];
  const missing: number[] = [];
  const changed: { row: ExternalResource; columns: MetadataColumns; stateChanged: boolean }[] = [];
  for (const { group, items } of answers) {
    for (const row of rowsOf(group)) {
      if (!items) {
        staleIds.add(row.id);
        continue;
      }
      const item = items.get(row.iid);
      if (!item) {
        missing.push(row.id);
        continue;
      }
      const columns = metadataColumns(item);
      const difference = compareMetadata(row, columns);
      if (difference.changed) changed.push({ row, columns, stateChanged: difference.stateChanged });
      else confirmed.push(row.id);
    }
  }

  if (confirmed.length + missing.length + changed.length > 0) {
    await prisma.$transaction(async (tx) => {
      if (confirmed.length + missing.length > 0) {
        await tx.externalResource.updateMany({
          where: { id: { in: [...confirmed, ...missing] } },
          data: { metadataRefreshedAt: now },
        });
      }
      if (confirmed.length > 0)
        await tx.externalResource.updateMany({
          where: { id: { in: confirmed }, unavailableAt: { not: null } },
          data: { unavailableAt: null },
        });
      if (missing.length > 0)
        await tx.externalResource.updateMany({
          where: { id: { in: missing }, unavailableAt: null },
          data: { unavailableAt: now },
        });
      for (const { row, columns } of changed) {
        // A webhook may have stored something newer meanwhile: never go back in GitLab's time.
        await tx.externalResource.updateMany({
          where: {
            id: row.id,
            OR: [
              { gitlabUpdatedAt: null },
              ...(columns.gitlabUpdatedAt ? [{ gitlabUpdatedAt: { lte: columns.gitlabUpdatedAt } }] : []),
            ],
          },
          data: { ...metadataData(columns), metadataRefreshedAt: now, unavailableAt: null },
        });
      }
      const retag = [
        ...new Set(changed.filter((entry) => entry.stateChanged).map((entry) => entry.row.featureId)),
      ];
      if (retag.length > 0) await syncFeatureGitLabTags(tx, projectId, retag, refreshActor);
    });
  }

  const updated =
    changed.length + missing.length + confirmed.length > 0
      ? await prisma.externalResource.findMany({ where: { id: { in: rows.map((row) => row.id) } } })
      : rows;
  const byId = new Map(updated.map((row) => [row.id, row]));
  // Rows deleted meanwhile (a concurrent unlink) drop out of the answer.
  return rows.flatMap((row) => {
    const current = byId.get(row.id);
    return current ? [{ row: current, stale: staleIds.has(row.id) }] : [];
  });
}
