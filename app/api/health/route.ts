import { jsonResponse } from "@/lib/api/with-route";
import { currentDatabase, ensureDatabase } from "@/lib/db/client";
import { logger } from "@/lib/logger";

// GET /api/health – liveness and database reachability for load balancers and orchestrators.
// Answers 503 (never a stack trace) when the database cannot be reached or does not answer in time.

const DATABASE_TIMEOUT_MS = 5000;

export async function GET(): Promise<Response> {
  const noStore = { "cache-control": "no-store" };
  let timer: NodeJS.Timeout | undefined;
  try {
    await ensureDatabase();
    const db = currentDatabase();
    await Promise.race([
      db.sql.query("SELECT 1"),
      new Promise((_resolve, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${DATABASE_TIMEOUT_MS} ms`)),
          DATABASE_TIMEOUT_MS,
        );
      }),
    ]);
    const databaseKind = db.kind === "postgres" ? "postgres" : "embedded";
    return jsonResponse({ status: "ok", database: "ok", database_kind: databaseKind }, 200, noStore);
  } catch (error) {
    logger.warn("Health check: database unreachable", { error });
    return jsonResponse({ status: "error", database: "unreachable" }, 503, noStore);
  } finally {
    clearTimeout(timer);
  }
}
