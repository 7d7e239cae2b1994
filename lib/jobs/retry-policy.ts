import { SecretKeyMismatchError } from "@/lib/crypto/secret-box";
import { GitLabApiError, GitLabUnreachableError } from "@/lib/gitlab/client/errors";
import { PermanentJobError } from "@/lib/jobs/errors";

// What to do after a job attempt failed. Rate limits follow GitLab's Retry-After and do not use up
// attempts; a rejected token pauses the integration instead of burning retries; transient
// failures back off exponentially with jitter; the rest fail at once.

export type RetryDecision =
  | { action: "retry"; delayMs: number; countAttempt: boolean }
  | { action: "pause-integration"; reason: string }
  | { action: "fail" };

const BASE_DELAY_MS = 2_000;
const MAX_DELAY_MS = 10 * 60_000;
const APPLICATION_LIMIT_WAIT_MS = 30_000;

/** Exponential backoff with "equal jitter": between half and all of 2s·2^(attempt-1), capped. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export function decideRetry(error: unknown, attempts: number, maxAttempts: number, random: () => number = Math.random): RetryDecision {
  const exhausted = attempts >= maxAttempts;
  if (error instanceof PermanentJobError || error instanceof SecretKeyMismatchError) return { action: "fail" };
  if (error instanceof GitLabApiError) {
    if (error.status === 401 || error.status === 403) {
      return { action: "pause-integration", reason: `GitLab answered ${error.status}: ${error.gitlabMessage}` };
    }
    if (error.status === 429) {
      // Without Retry-After it is one of GitLab's application limits (e.g. 60 notes a minute on
      // gitlab.com), counted per minute: wait out half a window to a window, spread so a hundred
      // jobs refused together do not come back together.
      const waitMs = error.retryAfterSeconds !== null ? error.retryAfterSeconds * 1000 : Math.round(APPLICATION_LIMIT_WAIT_MS * (1 + random()));
      // A little jitter so paused workers do not all come back in the same millisecond.
      return { action: "retry", delayMs: waitMs + Math.round(random() * 1000), countAttempt: false };
    }
    const transient = error.status >= 500 || (error.status === 409 && /resource lock/i.test(error.gitlabMessage));
    if (!transient || exhausted) return { action: "fail" };
    return { action: "retry", delayMs: backoffMs(attempts, random), countAttempt: true };
  }
  if (exhausted) return { action: "fail" };
  if (error instanceof GitLabUnreachableError) return { action: "retry", delayMs: backoffMs(attempts, random), countAttempt: true };
  return { action: "retry", delayMs: backoffMs(attempts, random), countAttempt: true };
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
