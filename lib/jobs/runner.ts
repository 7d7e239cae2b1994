import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { msUntilNextDueJob, pruneJobs } from "@/lib/jobs/queue";
import { drainJobs, newWorkerId, type JobHandlers } from "@/lib/jobs/worker";

// The in-process worker of a Flagpost server (on by default; FLAGPOST_WORKER=false turns it off
// for deployments that call POST /api/internal/jobs/run from a scheduler). It drains when kicked
// after a response that queued work, when the next coalesced job falls due, and on a periodic
// sweep that also catches expired leases and prunes old jobs.

const SWEEP_MS = 5_000;
const PRUNE_EVERY_MS = 60 * 60_000;

interface RunnerState {
  handlers: JobHandlers;
  workerId: string;
  draining: Promise<void> | null;
  again: boolean;
  timer: NodeJS.Timeout | null;
  timerAt: number;
  lastPrune: number;
  sweep: NodeJS.Timeout;
}

const global = globalThis as unknown as { __flagpostJobRunner?: RunnerState };

export function startJobRunner(handlers: JobHandlers): void {
  if (global.__flagpostJobRunner || !env().FLAGPOST_WORKER) return;
  const state: RunnerState = {
    handlers,
    workerId: newWorkerId(),
    draining: null,
    again: false,
    timer: null,
    timerAt: 0,
    lastPrune: Date.now(),
    sweep: setInterval(() => void drainNow(), SWEEP_MS),
  };
  state.sweep.unref();
  global.__flagpostJobRunner = state;
  void drainNow();
}

export function stopJobRunner(): void {
  const state = global.__flagpostJobRunner;
  if (!state) return;
  clearInterval(state.sweep);
  if (state.timer) clearTimeout(state.timer);
  global.__flagpostJobRunner = undefined;
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
        await drainJobs({ handlers: state.handlers, workerId: state.workerId });
      } while (state.again);
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
