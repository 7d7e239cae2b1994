import "server-only";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { lockEmbeddedDatabase } from "@/lib/db/embedded-lock";
import { applyMigrations, type SqlSession } from "@/lib/db/migrate";
import { listenOnPostgres } from "@/lib/db/pg-listener";
import { PrismaClient } from "@/lib/generated/prisma/client";

export type DatabaseTarget =
  | { kind: "embedded"; dataDir: string }
  | { kind: "memory" }
  | { kind: "postgres"; url: string; poolSize?: number };

export interface Database {
  prisma: PrismaClient;
  kind: DatabaseTarget["kind"];
  /** Human-readable location without credentials, for logs and errors. */
  description: string;
  /** Raw SQL outside Prisma (migrations, health checks). */
  sql: SqlSession;
  /**
   * LISTEN on a channel: `onMessage` gets each NOTIFY payload (after the notifying transaction
   * commits). On PostgreSQL a dedicated connection that reconnects by itself; `onConnection(false)`
   * when it is lost (notifications may be missed until `onConnection(true)`). Returns the stop.
   */
  listen(
    channel: string,
    onMessage: (payload: string) => void,
    onConnection?: (up: boolean) => void,
  ): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export class DatabaseUnreachableError extends Error {
  constructor(description: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Cannot reach the PostgreSQL server in DATABASE_URL (${description}): ${reason}`);
    this.name = "DatabaseUnreachableError";
  }
}

/** postgres://user:secret@host:5432/db → host:5432/db */
function describePostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}${parsed.port ? `:${parsed.port}` : ""}${parsed.pathname}`;
  } catch {
    return "unparseable URL";
  }
}

/**
 * PGlite runs each query synchronously on this thread and hands its lock from one waiting query to
 * the next without returning to the event loop: under load a queue of queries ran as one block of
 * hundreds of milliseconds, and no request was read or answered meanwhile. Here the queries take
 * turns with the event loop: one at a time (a transaction is one turn), with a pass through the
 * event loop before each.
 */
function takeTurnsWithEventLoop(client: PGlite): void {
  let previous: Promise<unknown> = Promise.resolve();
  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
  const methods = client as unknown as Record<
    "query" | "exec" | "transaction",
    (...args: unknown[]) => Promise<unknown>
  >;
  for (const name of ["query", "exec", "transaction"] as const) {
    const original = methods[name].bind(client);
    methods[name] = (...args) => {
      const turn = previous.then(nextTurn).then(() => original(...args));
      previous = turn.catch(() => undefined);
      return turn;
    };
  }
}

function pgliteSession(client: PGlite): SqlSession {
  return {
    shared: false,
    exec: async (sql) => {
      await client.exec(sql);
    },
    query: async <Row>(sql: string, params?: unknown[]) => (await client.query<Row>(sql, params)).rows,
  };
}

function pgSession(client: pg.Pool | pg.PoolClient): SqlSession {
  return {
    shared: true,
    exec: async (sql) => {
      await client.query(sql);
    },
    query: async <Row>(sql: string, params?: unknown[]) =>
      (await client.query(sql, params as unknown[] | undefined)).rows as Row[],
    withConnection:
      client instanceof pg.Pool
        ? async (work) => {
            const connection = await client.connect();
            try {
              return await work(pgSession(connection));
            } finally {
              connection.release();
            }
          }
        : undefined,
  };
}

export async function openDatabase(
  target: DatabaseTarget,
  options: { migrate?: boolean } = {},
): Promise<Database> {
  const migrate = options.migrate ?? true;
  if (target.kind === "postgres") return openPostgres(target.url, target.poolSize ?? 10, migrate);

  const release = target.kind === "embedded" ? lockEmbeddedDatabase(target.dataDir) : () => undefined;
  try {
    const client =
      target.kind === "embedded" ? new PGlite(path.join(target.dataDir, "pgdata")) : new PGlite("memory://");
    await client.waitReady;
    takeTurnsWithEventLoop(client);
    const sql = pgliteSession(client);
    if (migrate) await applyMigrations(sql);
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(client) });
    return {
      prisma,
      kind: target.kind,
      description:
        target.kind === "embedded" ? `embedded database in ${target.dataDir}` : "in-memory database",
      sql,
      listen: async (channel, onMessage, onConnection) => {
        // In-process: PGlite delivers a NOTIFY to its own listeners when the transaction commits.
        const stop = await client.listen(channel, onMessage);
        onConnection?.(true);
        return stop;
      },
      close: async () => {
        await prisma.$disconnect();
        await client.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

async function openPostgres(url: string, poolSize: number, migrate: boolean): Promise<Database> {
  const description = describePostgresUrl(url);
  // A small pool for raw SQL outside Prisma (migrations pin one connection for their lock; the
  // health check reconnects after a database restart; the webhook receiver's accepting statement).
  const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 5000 });
  pool.on("error", () => undefined);
  try {
    await pool.query("SELECT 1");
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new DatabaseUnreachableError(description, error);
  }
  const sql = pgSession(pool);
  if (migrate) await applyMigrations(sql);
  const prisma = new PrismaClient({
    adapter: new PrismaPg({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5000 }),
  });
  return {
    prisma,
    kind: "postgres",
    description,
    sql,
    listen: (channel, onMessage, onConnection) => listenOnPostgres(url, channel, onMessage, onConnection),
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
