import "server-only";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { msUntilNextDueJob, pruneJobs } from "@/lib/jobs/queue";
import { drainJobs, newWorkerId } from "@/lib/jobs/worker";

// The in-process worker of a Flagpost server (on by default; FLAGPOST_WORKER=false turns it off
// for deployments that call POST /api/internal/jobs/run from a scheduler, or that run
// `npm run flagpost -- worker` beside the web servers). It drains when kicked after a response
// that queued work, when the next coalesced job falls due, and on a periodic sweep that also
// catches expired leases and prunes old jobs.

const SWEEP_MS = 5_000;
const PRUNE_EVERY_MS = 60 * 60_000;

interface RunnerState {
  workerId: string;
  draining: Promise<void> | null;
  again: boolean;
  timer: NodeJS.Timeout | null;
  timerAt: number;
  lastPrune: number;
  sweep: NodeJS.Timeout;
  stopping: AbortController;
}

export interface RunnerOptions {
  /** Run even with FLAGPOST_WORKER=false (the standalone worker process). */
  standalone?: boolean;
  /** How often to look for due jobs without being kicked (default 5 s). */
  sweepMs?: number;
}

const global = globalThis as unknown as { __flagpostJobRunner?: RunnerState };

/** Runs the handlers registered at boot (lib/jobs/registry.ts). */
export function startJobRunner(options: RunnerOptions = {}): void {
  if (global.__flagpostJobRunner || (!env().FLAGPOST_WORKER && !options.standalone)) return;
  const state: RunnerState = {
    workerId: newWorkerId(),
    draining: null,
    again: false,
    timer: null,
    timerAt: 0,
    lastPrune: Date.now(),
    sweep: setInterval(() => void drainNow(), options.sweepMs ?? SWEEP_MS),
    stopping: new AbortController(),
  };
  // A standalone worker has nothing else keeping the process alive.
  if (!options.standalone) state.sweep.unref();
  global.__flagpostJobRunner = state;
  void drainNow();
}

/** Stops claiming work and resolves once the jobs in hand are finished (their leases released). */
export async function stopJobRunner(): Promise<void> {
  const state = global.__flagpostJobRunner;
  if (!state) return;
  clearInterval(state.sweep);
  if (state.timer) clearTimeout(state.timer);
  state.stopping.abort();
  global.__flagpostJobRunner = undefined;
  await state.draining;
}

/** Ask the worker to look at the queue soon (called after requests that queued work). */
export function kickJobRunner(): void {
  const state = global.__flagpostJobRunner;
  if (!state) return;
  void (async () => {
    const wait = await msUntilNextDueJob().catch(() => null);
    if (wait === null) return;
    schedule(state, wait);
  })();
}

function schedule(state: RunnerState, waitMs: number) {
  const at = Date.now() + waitMs;
  if (state.timer && state.timerAt <= at) return;
  if (state.timer) clearTimeout(state.timer);
  state.timerAt = at;
  state.timer = setTimeout(() => {
    state.timer = null;
    void drainNow();
  }, waitMs + 20);
  state.timer.unref();
}

async function drainNow(): Promise<void> {
  const state = global.__flagpostJobRunner;
  if (!state) return;
  if (state.draining) {
    state.again = true;
    return state.draining;
  }
  state.draining = (async () => {
    try {
      do {
        state.again = false;
        await drainJobs({ workerId: state.workerId, signal: state.stopping.signal });
      } while (state.again && !state.stopping.signal.aborted);
      if (state.stopping.signal.aborted) return;
      if (Date.now() - state.lastPrune > PRUNE_EVERY_MS) {
        state.lastPrune = Date.now();
        await pruneJobs();
      }
      const wait = await msUntilNextDueJob();
      if (wait !== null) schedule(state, wait);
    } catch (error) {
      logger.error("Job worker error", { error });
    } finally {
      state.draining = null;
    }
  })();
  return state.draining;
}
