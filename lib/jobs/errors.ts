import "server-only";
// How a failure tells the worker what to do with it. Errors that know (a provider's API error, a
// handler's "this cannot work") carry a hint; anything else is treated as transient and retried
// with backoff. The worker reads only the hint, so lib/jobs knows no provider.

export type JobFailureHint =
  /** Retrying cannot help (e.g. the item was deleted): fail at once, visibly. */
  | { kind: "permanent" }
  /** Worth another attempt after a backoff (a lock held elsewhere, an unexpected error). */
  | { kind: "transient" }
  /**
   * The service did not answer or failed (network error, 5xx): an outage. A job of a registered
   * group keeps retrying with capped backoff, without using attempts, for as long as its group
   * exists; without a group it counts as transient.
   */
  | { kind: "unreachable" }
  /** Rate-limited: wait `waitMs` (null: the service did not say) without using an attempt. */
  | { kind: "rate-limited"; waitMs: number | null }
  /** The credentials of the job's group were refused: pause the whole group, keep the attempt. */
  | { kind: "pause-group"; reason: string };

export interface HintedError {
  jobFailureHint(): JobFailureHint;
}

export function failureHintOf(error: unknown): JobFailureHint {
  if (
    error &&
    typeof error === "object" &&
    typeof (error as Partial<HintedError>).jobFailureHint === "function"
  ) {
    return (error as HintedError).jobFailureHint();
  }
  return { kind: "transient" };
}

/** Retrying cannot help (e.g. the item was deleted in GitLab): fail at once, visibly. */
export class PermanentJobError extends Error implements HintedError {
  constructor(message: string) {
    super(message);
    this.name = "PermanentJobError";
  }

  jobFailureHint(): JobFailureHint {
    return { kind: "permanent" };
  }
}
