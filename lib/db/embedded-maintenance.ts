import "server-only";
import { currentDatabase } from "@/lib/db/client";
import type { Database } from "@/lib/db/open-database";
import { logger } from "@/lib/logger";

// PGlite runs PostgreSQL in single-user mode, without autovacuum: rows that updates and deletes
// leave dead (webhook deliveries, jobs, identities, analytics counters) were never reclaimed, so
// the files and indexes only grew, and no table ever got planner statistics. So the embedded
// database does autovacuum's work itself, with its default thresholds: once a minute, VACUUM the
// tables with many dead rows and ANALYZE those changed much since their last statistics, one
// table per statement so requests take their turns in between. A PostgreSQL server runs its own
// autovacuum.

const EVERY_MS = 60_000;
// autovacuum_vacuum_threshold / _scale_factor and autovacuum_analyze_threshold / _scale_factor.
const VACUUM_BASE = 50;
const VACUUM_SCALE = 0.2;
const ANALYZE_BASE = 50;
const ANALYZE_SCALE = 0.1;

export interface MaintenancePass {
  vacuumed: string[];
  analyzed: string[];
}

/** One pass over the embedded database's tables; what it vacuumed (and analyzed) or only analyzed. */
export async function maintainEmbeddedDatabase(db: Database): Promise<MaintenancePass> {
  const tables = await db.sql.query<{ name: string; needs_vacuum: boolean }>(
    `SELECT relname AS name, n_dead_tup > $1::int + $2::float8 * n_live_tup AS needs_vacuum
     FROM pg_stat_user_tables
     WHERE schemaname = 'public'
       AND (n_dead_tup > $1::int + $2::float8 * n_live_tup
            OR n_mod_since_analyze > $3::int + $4::float8 * n_live_tup)
     ORDER BY n_dead_tup DESC`,
    [VACUUM_BASE, VACUUM_SCALE, ANALYZE_BASE, ANALYZE_SCALE],
  );
  const pass: MaintenancePass = { vacuumed: [], analyzed: [] };
  for (const { name, needs_vacuum: needsVacuum } of tables) {
    const table = `"${name.replaceAll('"', '""')}"`;
    await db.sql.exec(needsVacuum ? `VACUUM (ANALYZE) ${table}` : `ANALYZE ${table}`);
    (needsVacuum ? pass.vacuumed : pass.analyzed).push(name);
  }
  return pass;
}

const state = globalThis as unknown as { __flagpostEmbeddedMaintenance?: NodeJS.Timeout };

/** At server start, on the embedded database only: a maintenance pass now and once a minute. */
export function startEmbeddedMaintenance(): void {
  if (state.__flagpostEmbeddedMaintenance || currentDatabase().kind === "postgres") return;
  const run = () =>
    void maintainEmbeddedDatabase(currentDatabase()).catch((error: unknown) =>
      logger.warn("Embedded database maintenance (VACUUM / ANALYZE) failed; trying again later", {
        error,
      }),
    );
  run();
  state.__flagpostEmbeddedMaintenance = setInterval(run, EVERY_MS);
  state.__flagpostEmbeddedMaintenance.unref();
}
