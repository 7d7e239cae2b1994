import "server-only";
import { logger } from "@/lib/logger";

// Graceful shutdown: work buffered in memory (SDK traits, flag analytics) is written before the
// process exits on SIGTERM / SIGINT. Next.js's own handlers exit the process as soon as its server
// is closed, so ours run first and then hand over to them.

const SHUTDOWN_TIMEOUT_MS = 5_000;
const state = globalThis as unknown as {
  __flagpostShutdownHooks?: Map<string, () => Promise<void>>;
  __flagpostShutdownInstalled?: boolean;
};
const hooks = () => (state.__flagpostShutdownHooks ??= new Map());

/** Registers (or replaces) work to finish before the process exits. */
export function onShutdown(name: string, hook: () => Promise<void>): void {
  hooks().set(name, hook);
}

/** Runs every hook, at most SHUTDOWN_TIMEOUT_MS in all; failures are logged, never thrown. */
export async function runShutdownHooks(timeoutMs = SHUTDOWN_TIMEOUT_MS): Promise<void> {
  const all = Promise.all(
    [...hooks()].map(([name, hook]) =>
      hook().catch((error: unknown) => logger.error("Shutdown step failed", { step: name, error })),
    ),
  );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      logger.warn("Shutdown steps did not finish in time", { timeoutMs });
      resolve();
    }, timeoutMs);
  });
  await Promise.race([all, timeout]);
  clearTimeout(timer);
}

/** Puts the shutdown hooks in front of the signal handlers already installed (Next.js's). */
export function installShutdownHandlers(): void {
  if (state.__flagpostShutdownInstalled) return;
  state.__flagpostShutdownInstalled = true;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    const existing = process.listeners(signal);
    for (const listener of existing) process.removeListener(signal, listener);
    let started = false;
    process.on(signal, () => {
      if (started) return;
      started = true;
      void runShutdownHooks().finally(() => {
        if (existing.length === 0) process.exit(signal === "SIGINT" ? 130 : 143);
        for (const listener of existing) listener(signal);
      });
    });
  }
}
