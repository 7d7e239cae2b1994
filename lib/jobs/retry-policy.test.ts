import { describe, expect, it } from "vitest";
import { PermanentJobError, type HintedError, type JobFailureHint } from "@/lib/jobs/errors";
import { decideRetry, MAX_OUTAGE_DELAY_MS } from "@/lib/jobs/retry-policy";

class Hinted extends Error implements HintedError {
  constructor(private readonly hint: JobFailureHint) {
    super("hinted");
  }
  jobFailureHint() {
    return this.hint;
  }
}

describe("job retry policy (generic: decided by the hint an error carries)", () => {
  it("waits a rate limit out without using an attempt, even on the last attempt", () => {
    expect(decideRetry(new Hinted({ kind: "rate-limited", waitMs: 5_000 }), 8, 8, () => 0)).toEqual({
      action: "retry",
      delayMs: 5_000,
      countAttempt: false,
    });
  });

  it("pauses the group with the error's reason", () => {
    expect(decideRetry(new Hinted({ kind: "pause-group", reason: "token refused" }), 1, 8)).toEqual({
      action: "pause-group",
      reason: "token refused",
    });
  });

  it("retries unknown errors as transient until the limit, and fails permanent ones at once", () => {
    expect(decideRetry(new Error("bug"), 1, 8).action).toBe("retry");
    expect(decideRetry(new Error("bug"), 8, 8)).toEqual({ action: "fail" });
    expect(decideRetry(new Hinted({ kind: "permanent" }), 1, 8)).toEqual({ action: "fail" });
    expect(decideRetry(new PermanentJobError("gone"), 1, 8)).toEqual({ action: "fail" });
  });

  it("waits an outage out without end for a job of a group: no attempt used, capped backoff with jitter", () => {
    const down = new Hinted({ kind: "unreachable" });
    expect(decideRetry(down, 8, 8, () => 1, { outageRetries: 0 })).toEqual({
      action: "retry",
      delayMs: 2_000,
      countAttempt: false,
      outage: true,
    });
    const late = decideRetry(down, 8, 8, () => 1, { outageRetries: 500 });
    expect(late).toMatchObject({ action: "retry", delayMs: MAX_OUTAGE_DELAY_MS, countAttempt: false });
    expect(decideRetry(down, 8, 8, () => 0, { outageRetries: 500 })).toMatchObject({
      delayMs: MAX_OUTAGE_DELAY_MS / 2,
    });
  });

  it("counts an outage as transient for a job without a group", () => {
    const down = new Hinted({ kind: "unreachable" });
    expect(decideRetry(down, 1, 8)).toMatchObject({ action: "retry", countAttempt: true });
    expect(decideRetry(down, 8, 8)).toEqual({ action: "fail" });
  });
});
