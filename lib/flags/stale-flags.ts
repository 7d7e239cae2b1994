import "server-only";
import type { PaginationQuery } from "@/lib/api/pagination";
import type { Actor } from "@/lib/auth/actor";
import { requireProjectRole } from "@/lib/auth/permissions";
import { now } from "@/lib/clock";
import { prisma } from "@/lib/db/client";
import type { Db } from "@/lib/db/types";
import { evaluateStaleness, isReadyToDelete, type StaleLink } from "@/lib/flags/staleness";
import { Prisma, type ExternalResource } from "@/lib/generated/prisma/client";
import { shortReference } from "@/lib/gitlab/item-reference";
import { fullReference, kindOfType, serializeLink } from "@/lib/gitlab/link-metadata";
import { logger } from "@/lib/logger";

// The stale-flag view and the per-row `stale` / `ready_to_delete` signals of the features list.
// The rules live in `staleness.ts`; the predicate below is the same rules in SQL, so a project with
// thousands of flags is filtered and paged in the database and only the page's rows are loaded
// (a fixed number of queries per page). Both are tested against the same cases.

/** Rows of `features f JOIN projects p` that are stale at `at` under their project's threshold. */
function stalePredicate(at: Date): Prisma.Sql {
  // Hours, not days: a day interval would follow the session time zone's DST shifts.
  const cutoff = Prisma.sql`(${at}::timestamptz - make_interval(hours => 24 * p.stale_flag_threshold_days))`;
  return Prisma.sql`(
    f.is_permanent = false AND f.archived_at IS NULL
    AND EXISTS (SELECT 1 FROM external_resources r WHERE r.feature_id = f.id AND NOT r.is_cleanup_issue)
    AND NOT EXISTS (
      SELECT 1 FROM external_resources r
      WHERE r.feature_id = f.id AND NOT r.is_cleanup_issue
        AND (r.state NOT IN ('closed', 'merged')
             OR COALESCE(r.closed_at, r.gitlab_updated_at) IS NULL
             OR COALESCE(r.closed_at, r.gitlab_updated_at) > ${cutoff}))
    AND NOT EXISTS (SELECT 1 FROM segment_overrides o WHERE o.feature_id = f.id)
    AND EXISTS (SELECT 1 FROM feature_states s WHERE s.feature_id = f.id)
    AND NOT EXISTS (SELECT 1 FROM feature_states s WHERE s.feature_id = f.id AND s.updated_at > ${cutoff})
    AND NOT EXISTS (
      SELECT 1 FROM feature_states a JOIN feature_states b ON b.feature_id = a.feature_id
      WHERE a.feature_id = f.id
        AND (a.enabled <> b.enabled OR a.value IS DISTINCT FROM b.value OR (a.value IS NOT NULL AND a.value_type <> b.value_type)))
  )`;
}

const readyToDeletePredicate = Prisma.sql`(
  EXISTS (SELECT 1 FROM external_resources r WHERE r.feature_id = f.id AND r.is_cleanup_issue)
  AND NOT EXISTS (SELECT 1 FROM external_resources r WHERE r.feature_id = f.id AND r.is_cleanup_issue AND r.state NOT IN ('closed', 'merged'))
)`;

export interface FeatureSignals {
  stale: boolean;
  /** Its cleanup issues are all closed: the code is gone, the flag can go too. */
  readyToDelete: boolean;
}

export const NO_SIGNALS: FeatureSignals = { stale: false, readyToDelete: false };

/** `stale` and `ready_to_delete` of the given features, in one query. */
export async function featureSignals(db: Db, featureIds: number[], at: Date = now()): Promise<Map<number, FeatureSignals>> {
  if (featureIds.length === 0) return new Map();
  const rows = await db.$queryRaw<{ id: number; stale: boolean; ready_to_delete: boolean }[]>`
    SELECT f.id, ${stalePredicate(at)} AS stale, ${readyToDeletePredicate} AS ready_to_delete
    FROM features f JOIN projects p ON p.id = f.project_id
    WHERE f.id = ANY(${featureIds})`;
  return new Map(rows.map((row) => [row.id, { stale: row.stale, readyToDelete: row.ready_to_delete }]));
}

/** How the reason names an item: short inside the integration's linked GitLab project, full elsewhere. */
function reasonReference(link: ExternalResource, linkedProjectId: number | null): string {
  return link.gitlabProjectId === linkedProjectId ? shortReference(kindOfType(link.type), link.iid) : fullReference(link);
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
export async function listStaleFlags(actor: Actor, projectId: number, query: PaginationQuery & { search?: string }): Promise<StaleFlagList> {
  await requireProjectRole(actor, projectId, "VIEWER");
  const at = now();
  const search = query.search ? Prisma.sql`AND f.name ILIKE ${`%${query.search.replace(/[\\%_]/g, (char) => `\\${char}`)}%`}` : Prisma.empty;
  const where = Prisma.sql`f.project_id = ${projectId} ${search} AND ${stalePredicate(at)}`;
  const [project, counted, page] = await Promise.all([
    prisma.project.findUniqueOrThrow({ where: { id: projectId }, select: { staleFlagThresholdDays: true } }),
    prisma.$queryRaw<{ count: number }[]>`SELECT count(*)::int AS count FROM features f JOIN projects p ON p.id = f.project_id WHERE ${where}`,
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
    prisma.feature.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, description: true, isPermanent: true, archivedAt: true, createdAt: true } }),
    prisma.externalResource.findMany({ where: { featureId: { in: ids } }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] }),
    prisma.featureState.findMany({ where: { featureId: { in: ids } }, select: { featureId: true, enabled: true, valueType: true, value: true, updatedAt: true } }),
    prisma.segmentOverride.groupBy({ by: ["featureId"], where: { featureId: { in: ids } }, _count: { _all: true } }),
    prisma.gitLabIntegration.findUnique({ where: { liveProjectId: projectId }, select: { gitlabProjectId: true } }),
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
      logger.warn("A flag the stale-flag query selected is not stale by the rules", { feature: id, blocker: verdict.blocker });
      continue;
    }
    const { archivedAt: _archivedAt, ...shown } = feature;
    rows.push({ feature: shown, reason: verdict.reason, since: verdict.since, settledAt: verdict.settledAt, links: featureLinks });
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
