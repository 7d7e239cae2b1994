import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

// What the benchmarks share: a free loopback port and `next start` (the production build) on it,
// ready once /api/health answers.

const root = path.resolve(import.meta.dirname, "../..");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/**
 * Starts `next start -p port` with these extra environment variables; resolves once it is healthy.
 * `nodeArgs` go to node itself (e.g. `--cpu-prof`).
 */
export async function startProductionServer(
  port: number,
  serverEnv: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<ChildProcess> {
  const server = spawn(
    process.execPath,
    [...nodeArgs, path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(port)],
    {
      cwd: root,
      env: { ...process.env, ...serverEnv },
      stdio: ["ignore", "ignore", "inherit"],
      detached: true,
    },
  );
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`next start exited with ${server.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return server;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error("next start did not become healthy within 60 s");
}

/**
 * CPU time (user + system, ms) used so far by every process in the server's process group (the
 * server is started detached, so its group is its own pid): a steadier cost per request than
 * throughput on a shared machine. Null where /proc is not available.
 */
export function serverCpuMs(server: ChildProcess): number | null {
  if (!server.pid || !fs.existsSync("/proc/self/stat")) return null;
  const ticksPerSecond = 100; // USER_HZ on Linux
  let ticks = 0;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // exited meanwhile
    }
    // Fields after the command name (which may hold spaces): state ppid pgrp … utime(14) stime(15).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) !== server.pid) continue;
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / ticksPerSecond;
}
