// Starts a throw-away PostgreSQL server in a temporary directory (initdb + pg_ctl) for tests and
// benchmarks. PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

function findBinary(name) {
  const fromPath = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).stdout.trim();
  if (fromPath) return fromPath;
  const root = "/usr/lib/postgresql";
  if (!fs.existsSync(root)) return null;
  for (const version of fs.readdirSync(root).sort().reverse()) {
    const candidate = path.join(root, version, "bin", name);
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}

export function postgresAvailable() {
  return Boolean(findBinary("initdb") && findBinary("pg_ctl"));
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** @returns {Promise<{ url: string, stop: () => void }>} */
export async function startTempPostgres() {
  const initdb = findBinary("initdb");
  const pgCtl = findBinary("pg_ctl");
  if (!initdb || !pgCtl)
    throw new Error("PostgreSQL server binaries (initdb, pg_ctl) not found; install the postgresql package");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flagpost-pg-"));
  const dataDir = path.join(dir, "data");
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync("chown", ["-R", "postgres", dir]);
  const run = (binary, args) => {
    const command = asRoot ? "runuser" : binary;
    const fullArgs = asRoot ? ["-u", "postgres", "--", binary, ...args] : args;
    execFileSync(command, fullArgs, { stdio: ["ignore", "ignore", "pipe"] });
  };
  run(initdb, ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  run(pgCtl, ["-D", dataDir, "-o", options, "-l", path.join(dir, "server.log"), "-w", "-t", "60", "start"]);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      run(pgCtl, ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
    } catch {
      // Already down.
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", stop);
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
}
