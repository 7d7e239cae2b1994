import { describe, expect, it } from "vitest";
import { maintainEmbeddedDatabase } from "@/lib/db/embedded-maintenance";
import { openDatabase } from "@/lib/db/open-database";

// PGlite has no autovacuum: without these passes dead rows were never reclaimed and no table got
// planner statistics.
describe("embedded database maintenance", () => {
  it("vacuums and analyzes tables with many dead rows, and leaves quiet tables alone", async () => {
    const db = await openDatabase({ kind: "memory" }, { migrate: false });
    try {
      await db.sql.exec(`
        CREATE TABLE churn (id int PRIMARY KEY, n int);
        CREATE TABLE quiet (id int PRIMARY KEY);
        INSERT INTO quiet VALUES (1);
        INSERT INTO churn SELECT g, 0 FROM generate_series(1, 1000) g;`);
      for (let round = 0; round < 3; round++) await db.sql.exec("UPDATE churn SET n = n + 1");
      await db.sql.query("SELECT pg_stat_force_next_flush()");
      const stats = () =>
        db.sql.query<{ relname: string; n_dead_tup: number; vacuumed: boolean; analyzed: boolean }>(
          `SELECT relname, n_dead_tup::int, last_vacuum IS NOT NULL AS vacuumed, last_analyze IS NOT NULL AS analyzed
           FROM pg_stat_user_tables ORDER BY relname`,
        );
      // Nothing does it by itself.
      expect((await stats()).find((row) => row.relname === "churn")).toMatchObject({
        vacuumed: false,
        analyzed: false,
      });
      expect((await stats()).find((row) => row.relname === "churn")!.n_dead_tup).toBeGreaterThan(1000);

      expect(await maintainEmbeddedDatabase(db)).toEqual({ vacuumed: ["churn"], analyzed: [] });
      await db.sql.query("SELECT pg_stat_force_next_flush()");
      expect(await stats()).toEqual([
        { relname: "churn", n_dead_tup: 0, vacuumed: true, analyzed: true },
        { relname: "quiet", n_dead_tup: 0, vacuumed: false, analyzed: false },
      ]);
      // Done until the next changes.
      expect(await maintainEmbeddedDatabase(db)).toEqual({ vacuumed: [], analyzed: [] });
    } finally {
      await db.close();
    }
  });
});
