import "server-only";
import { now } from "@/lib/clock";
import type { Db } from "@/lib/db/types";
import { Prisma } from "@/lib/generated/prisma/client";

// The stale-flag rules in SQL and the per-row `stale` / `ready_to_delete` signals of the features
// list. The stale view itself, which shows the linked GitLab items, is lib/gitlab/cleanup/stale-flag-list.ts.
// The rules live in `staleness.ts`; the predicate below is the same rules in SQL, so a project with
// thousands of flags is filtered and paged in the database and only the page's rows are loaded
// (a fixed number of queries per page). Both are tested against the same cases.

/** Rows of `features f JOIN projects p` that are stale at `at` under their project's threshold. */
export function stalePredicate(at: Date): Prisma.Sql {
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
export async function featureSignals(
  db: Db,
  featureIds: number[],
  at: Date = now(),
): Promise<Map<number, FeatureSignals>> {
  if (featureIds.length === 0) return new Map();
  const rows = await db.$queryRaw<{ id: number; stale: boolean; ready_to_delete: boolean }[]>`
    SELECT f.id, ${stalePredicate(at)} AS stale, ${readyToDeletePredicate} AS ready_to_delete
    FROM features f JOIN projects p ON p.id = f.project_id
    WHERE f.id = ANY(${featureIds})`;
  return new Map(rows.map((row) => [row.id, { stale: row.stale, readyToDelete: row.ready_to_delete }]));
}
