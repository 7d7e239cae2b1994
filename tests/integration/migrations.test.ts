import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { currentDatabase } from "@/lib/db/client";
import { applyMigrations, MIGRATIONS_DIR, readMigrations } from "@/lib/db/migrate";
import { diagnoseMigrationHistory } from "@/lib/db/schema-engine";
import { testDatabaseUrl } from "@/tests/support/test-database";

describe("migrations", () => {
  it("are recorded in _prisma_migrations with Prisma's checksum, and re-running applies nothing", async () => {
    const db = currentDatabase();
    const rows = await db.sql.query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      applied_steps_count: number;
    }>(
      `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    const files = readMigrations();
    expect(rows.map((row) => row.migration_name)).toEqual(files.map((file) => file.name));
    for (const file of files) {
      const bytes = fs.readFileSync(path.join(MIGRATIONS_DIR, file.name, "migration.sql"));
      const row = rows.find((candidate) => candidate.migration_name === file.name)!;
      expect(row.checksum).toBe(createHash("sha256").update(bytes).digest("hex"));
      expect(row.finished_at).not.toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    expect(await applyMigrations(db.sql)).toEqual([]);
  });

  it("leave a history that Prisma's own engine accepts (PostgreSQL run)", async () => {
    const url = testDatabaseUrl(currentDatabase());
    if (!url) {
      // The engine needs a real server; on the embedded run the checksum test above covers the format.
      expect(currentDatabase().kind).toBe("memory");
      return;
    }
    const rows = await currentDatabase().sql.query<{ current_database: string }>("SELECT current_database()");
    const dbUrl = new URL(url);
    dbUrl.pathname = `/${rows[0]!.current_database}`;
    const diagnosis = await diagnoseMigrationHistory(dbUrl.toString());
    expect(diagnosis).toMatchObject({
      editedMigrationNames: [],
      failedMigrationNames: [],
      hasMigrationsTable: true,
      history: null,
    });
  });

  it("roll back a failing migration completely and record the attempt", async () => {
    const db = currentDatabase();
    const broken = {
      name: "29990101000000_broken",
      script: 'CREATE TABLE "probe_ok" (id int);\nSELECT * FROM no_such_table;',
      checksum: "x".repeat(64),
    };
    await expect(applyMigrations(db.sql, [...readMigrations(), broken])).rejects.toThrow(
      /29990101000000_broken failed/,
    );
    const tables = await db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'probe_ok'`,
    );
    expect(tables[0]!.n).toBe(0);
    const attempt = await db.sql.query<{ rolled_back_at: Date | null; logs: string }>(
      `SELECT rolled_back_at, logs FROM "_prisma_migrations" WHERE migration_name = $1`,
      [broken.name],
    );
    expect(attempt[0]!.rolled_back_at).not.toBeNull();
    expect(attempt[0]!.logs).toMatch(/no_such_table/);
  });
});
