import "server-only";
import type { PaginationQuery } from "@/lib/api/pagination";
import type { Actor } from "@/lib/auth/actor";
import { requireProjectRole } from "@/lib/auth/permissions";
import { now } from "@/lib/clock";
import { prisma } from "@/lib/db/client";
import { stalePredicate } from "@/lib/flags/stale-flags";
import { evaluateStaleness, isReadyToDelete, type StaleLink } from "@/lib/flags/staleness";
import { Prisma, type ExternalResource } from "@/lib/generated/prisma/client";
import { shortReference } from "@/lib/gitlab/links/item-reference";
import { fullReference, kindOfType, serializeLink } from "@/lib/gitlab/links/link-metadata";
import { logger } from "@/lib/logger";

// The stale-flag view: the project's stale flags (filtered, counted and paged by the SQL predicate
// of lib/flags/stale-flags.ts), each with its reason naming the linked GitLab items and its
// cleanup issue. It lives with GitLab because it presents GitLab items; the rules do not.

/** How the reason names an item: short inside the integration's linked GitLab project, full elsewhere. */
function reasonReference(link: ExternalResource, linkedProjectId: number | null): string {
  return link.gitlabProjectId === linkedProjectId
    ? shortReference(kindOfType(link.type), link.iid)
    : fullReference(link);
}

export function staleLinkOf(link: ExternalResource, linkedProjectId: number | null): StaleLink {
  return {
    type: link.type,
    reference: reasonReference(link, linkedProjectId),
    state: link.state,
    closedAt: link.closedAt,
    gitlabUpdatedAt: link.gitlabUpdatedAt,
    isCleanupIssue: link.isCleanupIssue,
  };
}

export interface StaleFlagRow {
  feature: { id: number; name: string; description: string; isPermanent: boolean; createdAt: Date };
  reason: string;
  since: Date;
  settledAt: Date;
  links: ExternalResource[];
}

export interface StaleFlagList {
  count: number;
  thresholdDays: number;
  rows: StaleFlagRow[];
}

/** The project's stale flags, stalest first (settled longest ago), one page. */
export async function listStaleFlags(
  actor: Actor,
  projectId: number,
  query: PaginationQuery & { search?: string },
): Promise<StaleFlagList> {
  await requireProjectRole(actor, projectId, "VIEWER");
  const at = now();
  const search = query.search
    ? Prisma.sql`AND f.name ILIKE ${`%${query.search.replace(/[\\%_]/g, (char) => `\\${char}`)}%`}`
    : Prisma.empty;
  const where = Prisma.sql`f.project_id = ${projectId} ${search} AND ${stalePredicate(at)}`;
  const [project, counted, page] = await Promise.all([
    prisma.project.findUniqueOrThrow({ where: { id: projectId }, select: { staleFlagThresholdDays: true } }),
    prisma.$queryRaw<
      { count: number }[]
    >`SELECT count(*)::int AS count FROM features f JOIN projects p ON p.id = f.project_id WHERE ${where}`,
    prisma.$queryRaw<{ id: number }[]>`
      SELECT f.id
      FROM features f JOIN projects p ON p.id = f.project_id
      WHERE ${where}
      ORDER BY GREATEST(
        (SELECT max(COALESCE(r.closed_at, r.gitlab_updated_at)) FROM external_resources r WHERE r.feature_id = f.id AND NOT r.is_cleanup_issue),
        (SELECT max(s.updated_at) FROM feature_states s WHERE s.feature_id = f.id)) ASC, f.name ASC, f.id ASC
      LIMIT ${query.page_size} OFFSET ${(query.page - 1) * query.page_size}`,
  ]);
  const count = counted[0]?.count ?? 0;
  const ids = page.map((row) => row.id);
  if (ids.length === 0) return { count, thresholdDays: project.staleFlagThresholdDays, rows: [] };
  const [features, links, states, overrides, integration] = await Promise.all([
    prisma.feature.findMany({
      where: { id: { in: ids } },
      select: {
        id: true,
        name: true,
        description: true,
        isPermanent: true,
        archivedAt: true,
        createdAt: true,
      },
    }),
    prisma.externalResource.findMany({
      where: { featureId: { in: ids } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    }),
    prisma.featureState.findMany({
      where: { featureId: { in: ids } },
      select: { featureId: true, enabled: true, valueType: true, value: true, updatedAt: true },
    }),
    prisma.segmentOverride.groupBy({
      by: ["featureId"],
      where: { featureId: { in: ids } },
      _count: { _all: true },
    }),
    prisma.gitLabIntegration.findUnique({
      where: { liveProjectId: projectId },
      select: { gitlabProjectId: true },
    }),
  ]);
  const linkedProjectId = integration?.gitlabProjectId ?? null;
  const rows: StaleFlagRow[] = [];
  for (const id of ids) {
    const feature = features.find((row) => row.id === id);
    if (!feature) continue; // deleted between the two queries
    const featureLinks = links.filter((link) => link.featureId === id);
    const verdict = evaluateStaleness(
      {
        isPermanent: feature.isPermanent,
        archivedAt: feature.archivedAt,
        links: featureLinks.map((link) => staleLinkOf(link, linkedProjectId)),
        states: states.filter((state) => state.featureId === id),
        segmentOverrideCount: overrides.find((row) => row.featureId === id)?._count._all ?? 0,
      },
      at,
      project.staleFlagThresholdDays,
    );
    if (!verdict.stale) {
      // The SQL and the rules disagree (or the flag changed between the queries): leave it out.
      logger.warn("A flag the stale-flag query selected is not stale by the rules", {
        feature: id,
        blocker: verdict.blocker,
      });
      continue;
    }
    const { archivedAt: _archivedAt, ...shown } = feature;
    rows.push({
      feature: shown,
      reason: verdict.reason,
      since: verdict.since,
      settledAt: verdict.settledAt,
      links: featureLinks,
    });
  }
  return { count, thresholdDays: project.staleFlagThresholdDays, rows };
}

export function serializeStaleFlag(row: StaleFlagRow) {
  const openCleanup = row.links.find((link) => link.isCleanupIssue && link.state === "opened");
  return {
    feature: {
      id: row.feature.id,
      name: row.feature.name,
      description: row.feature.description,
      is_permanent: row.feature.isPermanent,
      created_at: row.feature.createdAt.toISOString(),
    },
    reason: row.reason,
    since: row.since.toISOString(),
    settled_at: row.settledAt.toISOString(),
    linked_items: row.links.map((link) => serializeLink({ row: link, stale: false })),
    open_cleanup_issue: openCleanup ? serializeLink({ row: openCleanup, stale: false }) : null,
    ready_to_delete: isReadyToDelete(row.links),
  };
}
