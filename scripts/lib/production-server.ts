import { spawn, type ChildProcess } from "node:child_process";
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
