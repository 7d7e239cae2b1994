import "server-only";
import type { Database } from "@/lib/db/open-database";
import { logger } from "@/lib/logger";

// Flag evaluation counts sent by SDKs with analytics enabled (Flagsmith's
// POST /api/v1/analytics/flags/, `{ feature name: count }`). Counted in memory per environment,
// feature and UTC day, and added to flag_evaluation_counts in one statement every few seconds, so
// a busy SDK costs no write per request. A crash loses at most the last interval's counts.

const FLUSH_INTERVAL_MS = 5_000;
const MAX_PENDING = 20_000;
const MAX_COUNT = 1_000_000_000;

const keyOf = (environmentId: number, featureId: number, day: string) =>
  `${environmentId}:${featureId}:${day}`;

export class FlagAnalytics {
  private pending = new Map<
    string,
    { environmentId: number; featureId: number; day: string; count: number }
  >();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly db: Database) {}

  /** Adds evaluations of features (by id) of an environment, counted today (UTC). */
  record(environmentId: number, counts: Iterable<[number, number]>, now = new Date()) {
    const day = now.toISOString().slice(0, 10);
    for (const [featureId, count] of counts) {
      if (count <= 0) continue;
      const key = keyOf(environmentId, featureId, day);
      const entry = this.pending.get(key);
      if (entry) entry.count = Math.min(MAX_COUNT, entry.count + count);
      else this.pending.set(key, { environmentId, featureId, day, count: Math.min(MAX_COUNT, count) });
    }
    if (this.pending.size >= MAX_PENDING) void this.flush();
    else if (!this.timer && this.pending.size > 0) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS);
      this.timer.unref?.();
    }
  }

  /** Writes everything counted so far (tests and shutdown call it directly). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = [...this.pending.values()];
    if (batch.length === 0) return this.flushing;
    this.pending = new Map();
    this.flushing = this.flushing
      .then(async () => {
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
      })
      .catch((error: unknown) =>
        logger.error("Writing flag analytics failed", { error, rows: batch.length }),
      );
    return this.flushing;
  }
}

const registry = globalThis as unknown as { __flagpostFlagAnalytics?: WeakMap<Database, FlagAnalytics> };

export function flagAnalytics(db: Database): FlagAnalytics {
  registry.__flagpostFlagAnalytics ??= new WeakMap();
  let analytics = registry.__flagpostFlagAnalytics.get(db);
  if (!analytics) {
    analytics = new FlagAnalytics(db);
    registry.__flagpostFlagAnalytics.set(db, analytics);
  }
  return analytics;
}
