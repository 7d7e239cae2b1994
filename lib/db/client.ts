import "server-only";
import { openDatabase, type Database, type DatabaseTarget } from "@/lib/db/open-database";
import { env } from "@/lib/env";
import type { PrismaClient } from "@/lib/generated/prisma/client";

// The one database handle of the process. It lives on globalThis because Next.js bundles route
// handlers, instrumentation and server components separately; they must all share one PGlite.

const state = globalThis as unknown as {
  __flagpostDb?: Promise<Database>;
  __flagpostDbReady?: Database;
};

function targetFromEnv(): DatabaseTarget {
  const { DATABASE_URL, dataDir } = env();
  return DATABASE_URL ? { kind: "postgres", url: DATABASE_URL } : { kind: "embedded", dataDir };
}

/** Opens the configured database and applies pending migrations, once per process. */
export function ensureDatabase(): Promise<Database> {
  state.__flagpostDb ??= openDatabase(targetFromEnv()).then(
    (db) => {
      state.__flagpostDbReady = db;
      return db;
    },
    (error: unknown) => {
      state.__flagpostDb = undefined;
      throw error;
    },
  );
  return state.__flagpostDb;
}

/** Installs an already-open database as the process database (tests, CLI). */
export function setCurrentDatabase(db: Database): void {
  state.__flagpostDb = Promise.resolve(db);
  state.__flagpostDbReady = db;
}

export async function closeDatabase(): Promise<void> {
  const pending = state.__flagpostDb;
  state.__flagpostDb = undefined;
  state.__flagpostDbReady = undefined;
  if (pending) await (await pending).close();
}

export function currentDatabase(): Database {
  const db = state.__flagpostDbReady;
  if (!db) throw new Error("The database is not open yet: await ensureDatabase() first");
  return db;
}

/**
 * The Prisma client of the process database. Entry points (route wrapper, instrumentation, CLI,
 * test setup) await ensureDatabase() first; domain code simply imports `prisma`.
 */
export const prisma: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const client = currentDatabase().prisma as unknown as Record<PropertyKey, unknown>;
    const value = client[property];
    return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(client) : value;
  },
});
