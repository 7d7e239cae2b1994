import { randomBytes } from "node:crypto";
import pg from "pg";
import { closeDatabase, setCurrentDatabase } from "@/lib/db/client";
import { openDatabase, type Database } from "@/lib/db/open-database";

// Each integration test file gets a fresh, fully migrated database: in-memory PGlite by default,
// or a new database on the PostgreSQL server named by TEST_DATABASE_URL (scripts/test-all.mjs
// starts one), so the same suite proves both.

export async function openTestDatabase(): Promise<{ db: Database; dispose: () => Promise<void> }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const db = await openDatabase({ kind: "memory" });
    setCurrentDatabase(db);
    return { db, dispose: closeDatabase };
  }
  const name = `flagpost_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ kind: "postgres", url: url.toString(), poolSize: 5 });
  setCurrentDatabase(db);
  testDatabaseUrls.set(db, url.toString());
  return {
    db,
    dispose: async () => {
      await closeDatabase();
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

const testDatabaseUrls = new WeakMap<Database, string>();

/** The URL of this file's own PostgreSQL test database (a second handle opens it again), else null. */
export function ownTestDatabaseUrl(db: Database): string | null {
  return testDatabaseUrls.get(db) ?? null;
}

export function testDatabaseUrl(db: Database): string | null {
  return db.kind === "postgres" ? (process.env.TEST_DATABASE_URL ?? null) : null;
}
