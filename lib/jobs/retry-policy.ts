import "server-only";
import { SecretKeyMismatchError } from "@/lib/crypto/secret-box";
import { failureHintOf } from "@/lib/jobs/errors";

// What to do after a job attempt failed, from the hint the error carries (lib/jobs/errors.ts).
// Rate limits follow the service's Retry-After and do not use up attempts; refused credentials
// pause the job's group instead of burning retries; an unreachable service (network, 5xx) is
// waited out, without end, by jobs of a registered group; transient failures back off
// exponentially with jitter; the rest fail at once.

export type RetryDecision =
  | { action: "retry"; delayMs: number; countAttempt: boolean; outage?: boolean }
  | { action: "pause-group"; reason: string }
  | { action: "fail" };

const BASE_DELAY_MS = 2_000;
const MAX_DELAY_MS = 10 * 60_000;
const APPLICATION_LIMIT_WAIT_MS = 30_000;
/**
 * The longest a job waits between tries while its service is down. Recovery is noticed by the
 * first try that succeeds (which then pulls the group's waiting jobs forward), so this bounds how
 * late "promptly" can be after an outage; the jitter spreads the tries of many waiting jobs.
 */
export const MAX_OUTAGE_DELAY_MS = 5 * 60_000;

/** Exponential backoff with "equal jitter": between half and all of 2s·2^(attempt-1), capped. */
export function backoffMs(
  attempt: number,
  random: () => number = Math.random,
  maxDelayMs: number = MAX_DELAY_MS,
): number {
  const ceiling = Math.min(maxDelayMs, BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** For a job of a registered group: outages are waited out (see the "unreachable" hint). */
export interface OutageContext {
  /** Earlier tries of this job that failed because the service was unreachable. */
  outageRetries: number;
}

export function decideRetry(
  error: unknown,
  attempts: number,
  maxAttempts: number,
  random: () => number = Math.random,
  outage?: OutageContext,
): RetryDecision {
  if (error instanceof SecretKeyMismatchError) return { action: "fail" };
  const hint = failureHintOf(error);
  switch (hint.kind) {
    case "permanent":
      return { action: "fail" };
    case "pause-group":
      return { action: "pause-group", reason: hint.reason };
    case "rate-limited": {
      // Without a wait it is an application limit (e.g. 60 notes a minute on gitlab.com), counted
      // per minute: wait out half a window to a window, spread so a hundred jobs refused together
      // do not come back together.
      const waitMs = hint.waitMs ?? Math.round(APPLICATION_LIMIT_WAIT_MS * (1 + random()));
      // A little jitter so paused workers do not all come back in the same millisecond.
      return { action: "retry", delayMs: waitMs + Math.round(random() * 1000), countAttempt: false };
    }
    case "unreachable":
      if (outage)
        return {
          action: "retry",
          delayMs: backoffMs(outage.outageRetries + 1, random, MAX_OUTAGE_DELAY_MS),
          countAttempt: false,
          outage: true,
        };
      if (attempts >= maxAttempts) return { action: "fail" };
      return { action: "retry", delayMs: backoffMs(attempts, random), countAttempt: true };
    case "transient":
      if (attempts >= maxAttempts) return { action: "fail" };
      return { action: "retry", delayMs: backoffMs(attempts, random), countAttempt: true };
  }
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
