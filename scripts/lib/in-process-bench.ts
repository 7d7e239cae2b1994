// Set-up shared by the benchmarks that run Flagpost's code in this process (bench:links,
// bench:dispatch): a scratch data directory, the environment they need, and the database, either
// embedded or, with --postgres, a temporary PostgreSQL server.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** Call before importing anything from lib/: the environment is read once. */
export function prepareBenchEnv(name: string, { worker }: { worker: boolean }): string {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `flagpost-bench-${name}-`));
  process.env.FLAGPOST_DATA_DIR = dataDir;
  process.env.FLAGPOST_PUBLIC_URL = "http://localhost:3000";
  process.env.GITLAB_ALLOW_PRIVATE_NETWORK = "true";
  process.env.FLAGPOST_WORKER = String(worker);
  process.env.FLAGPOST_LOG_LEVEL ??= "error";
  process.env.FLAGPOST_SECRET_KEY ??= `bench-${name}-secret-key-of-at-least-32-characters`;
  return dataDir;
}

export interface BenchDatabase {
  label: string;
  close: () => Promise<void>;
}

/** Opens the process database (migrations applied) and says how to close and remove it. */
export async function openBenchDatabase(dataDir: string, usePostgres: boolean): Promise<BenchDatabase> {
  const { closeDatabase, setCurrentDatabase } = await import("@/lib/db/client");
  const { openDatabase } = await import("@/lib/db/open-database");
  const server = usePostgres ? await (await import("./temp-postgres.mjs")).startTempPostgres() : null;
  setCurrentDatabase(
    await openDatabase(server ? { kind: "postgres", url: server.url } : { kind: "embedded", dataDir }),
  );
  return {
    label: server ? "PostgreSQL" : "embedded database (PGlite)",
    close: async () => {
      await closeDatabase();
      server?.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
