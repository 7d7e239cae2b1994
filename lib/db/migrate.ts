import "server-only";
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { logger } from "@/lib/logger";

// Applies the committed SQL migrations in prisma/migrations and records them in
// `_prisma_migrations` exactly as `prisma migrate deploy` does (same table, same sha256 checksum of
// the file), so either tool can take over from the other. Each migration runs in a transaction and
// several instances starting at once serialise on Prisma's own advisory lock.

export interface SqlSession {
  /** Runs one or more statements without parameters. */
  exec(sql: string): Promise<void>;
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** True when the database is a PostgreSQL server shared with other processes. */
  readonly shared: boolean;
  /** Runs `work` on one pinned connection (session-level locks need it); absent when there is only one. */
  withConnection?<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
}

export interface MigrationFile {
  name: string;
  script: string;
  checksum: string;
}

export const MIGRATIONS_DIR = path.join(process.cwd(), "prisma", "migrations");
// The key `prisma migrate` itself locks, so Flagpost and the Prisma CLI never migrate concurrently.
const PRISMA_ADVISORY_LOCK_KEY = 72707369;

export function readMigrations(dir: string = MIGRATIONS_DIR): MigrationFile[] {
  if (!fs.existsSync(/* turbopackIgnore: true */ dir)) throw new Error(`Migrations folder not found: ${dir}`);
  return fs
    .readdirSync(/* turbopackIgnore: true */ dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b))
    .map((name) => {
      const bytes = fs.readFileSync(/* turbopackIgnore: true */ path.join(dir, name, "migration.sql"));
      return {
        name,
        script: bytes.toString("utf8"),
        checksum: createHash("sha256").update(bytes).digest("hex"),
      };
    });
}

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
);`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export async function applyMigrations(
  session: SqlSession,
  migrations: MigrationFile[] = readMigrations(),
): Promise<string[]> {
  if (session.withConnection)
    return session.withConnection((pinned) => applyMigrationsOn(pinned, migrations));
  return applyMigrationsOn(session, migrations);
}

async function applyMigrationsOn(session: SqlSession, migrations: MigrationFile[]): Promise<string[]> {
  if (session.shared) await session.query("SELECT pg_advisory_lock($1)", [PRISMA_ADVISORY_LOCK_KEY]);
  try {
    await session.exec(CREATE_MIGRATIONS_TABLE);
    const rows = await session.query<AppliedRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
    );
    const failed = rows.filter((row) => row.finished_at === null && row.rolled_back_at === null);
    if (failed.length > 0) {
      throw new Error(
        `Migration ${failed[0]!.migration_name} failed earlier and was never resolved. Fix the database, then ` +
          `mark it rolled back (prisma migrate resolve --rolled-back ${failed[0]!.migration_name}).`,
      );
    }
    const applied = new Map(
      rows
        .filter((row) => row.finished_at !== null && row.rolled_back_at === null)
        .map((row) => [row.migration_name, row]),
    );
    const newlyApplied: string[] = [];
    for (const migration of migrations) {
      const existing = applied.get(migration.name);
      if (existing) {
        if (existing.checksum !== migration.checksum) {
          logger.warn("A migration was edited after it was applied", { migration: migration.name });
        }
        continue;
      }
      await applyOne(session, migration);
      newlyApplied.push(migration.name);
    }
    return newlyApplied;
  } finally {
    if (session.shared) await session.query("SELECT pg_advisory_unlock($1)", [PRISMA_ADVISORY_LOCK_KEY]);
  }
}

async function applyOne(session: SqlSession, migration: MigrationFile) {
  const id = randomUUID();
  await session.query(
    `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
     VALUES ($1, $2, $3, now(), 0)`,
    [id, migration.checksum, migration.name],
  );
  try {
    await session.exec(`BEGIN;\n${migration.script}\n;COMMIT;`);
  } catch (error) {
    await session.exec("ROLLBACK").catch(() => undefined);
    const message = error instanceof Error ? error.message : String(error);
    // The transaction left nothing behind, so the attempt is recorded as rolled back and the next
    // start tries again once the cause is fixed.
    await session.query(`UPDATE "_prisma_migrations" SET logs = $2, rolled_back_at = now() WHERE id = $1`, [
      id,
      message,
    ]);
    throw new Error(`Migration ${migration.name} failed: ${message}`);
  }
  await session.query(
    `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
    [id],
  );
  logger.info("Applied migration", { migration: migration.name });
}
