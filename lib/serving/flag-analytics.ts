import "server-only";
import type { Database } from "@/lib/db/open-database";
import { perDatabase } from "@/lib/db/per-database";
import { CoalescingBuffer } from "@/lib/serving/coalescing-buffer";
import type { EnvironmentSnapshot } from "@/lib/serving/snapshot";

// Flag evaluation counts sent by SDKs with analytics enabled (Flagsmith's
// POST /api/v1/analytics/flags/, `{ feature name: count }`). Counted in memory per environment,
// feature and UTC day, and added to flag_evaluation_counts in one statement every few seconds, so
// a busy SDK costs no write per request (CoalescingBuffer).

const FLUSH_INTERVAL_MS = 5_000;
const MAX_PENDING = 20_000;
const MAX_COUNT = 1_000_000_000;

const keyOf = (environmentId: number, featureId: number, day: string) =>
  `${environmentId}:${featureId}:${day}`;

interface DayCount {
  environmentId: number;
  featureId: number;
  day: string;
  count: number;
}

class FlagAnalytics {
  private readonly buffer: CoalescingBuffer<DayCount>;

  constructor(private readonly db: Database) {
    this.buffer = new CoalescingBuffer({
      what: "flag analytics",
      intervalMs: FLUSH_INTERVAL_MS,
      maxKeys: MAX_PENDING,
      write: (batch) => this.write(batch),
    });
  }

  /** Adds evaluations of features (by id) of an environment, counted today (UTC). */
  record(environmentId: number, counts: Iterable<[number, number]>, now = new Date()) {
    const day = now.toISOString().slice(0, 10);
    for (const [featureId, count] of counts) {
      if (count <= 0) continue;
      this.buffer.add(
        keyOf(environmentId, featureId, day),
        () => ({ environmentId, featureId, day, count: 0 }),
        (entry) => {
          entry.count = Math.min(MAX_COUNT, entry.count + count);
        },
      );
    }
  }

  /** Writes everything counted so far (tests and shutdown call it directly). */
  flush(): Promise<void> {
    return this.buffer.flush();
  }

  private async write(batch: DayCount[]) {
    // Features or environments deleted meanwhile are skipped by the joins.
    await this.db.prisma.$executeRaw`
      INSERT INTO flag_evaluation_counts (environment_id, feature_id, day, count)
      SELECT u.e, u.f, u.d::date, u.c
      FROM unnest(${batch.map((entry) => entry.environmentId)}::int[],
                  ${batch.map((entry) => entry.featureId)}::int[],
                  ${batch.map((entry) => entry.day)}::text[],
                  ${batch.map((entry) => entry.count)}::bigint[]) AS u(e, f, d, c)
      JOIN environments ON environments.id = u.e
      JOIN features ON features.id = u.f AND features.project_id = environments.project_id
      ON CONFLICT (environment_id, feature_id, day)
      DO UPDATE SET count = flag_evaluation_counts.count + EXCLUDED.count`;
  }
}

export const flagAnalytics = perDatabase("flagAnalytics", (db) => new FlagAnalytics(db));

/** Counts posted by an SDK, by feature name; names the environment does not have are ignored. */
export function recordFlagEvaluations(
  db: Database,
  snapshot: EnvironmentSnapshot,
  countsByName: Record<string, number>,
) {
  const counts: Array<[number, number]> = [];
  for (const [name, count] of Object.entries(countsByName)) {
    const featureId = snapshot.featureIds.get(name);
    if (featureId !== undefined) counts.push([featureId, count]);
  }
  flagAnalytics(db).record(snapshot.environment.id, counts);
}
