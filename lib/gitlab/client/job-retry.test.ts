import { describe, expect, it } from "vitest";
import { GitLabApiError, GitLabUnreachableError } from "@/lib/gitlab/client/errors";
import { PermanentJobError } from "@/lib/jobs/errors";
import { backoffMs, decideRetry } from "@/lib/jobs/retry-policy";

const api = (status: number, retryAfter: number | null = null, message = "x") =>
  new GitLabApiError(status, message, null, retryAfter, "GET /x");

describe("job retry policy for GitLab errors (hints carried by the error classes)", () => {
  it("backs off exponentially with jitter and a cap", () => {
    expect(backoffMs(1, () => 0)).toBe(1_000);
    expect(backoffMs(1, () => 1)).toBe(2_000);
    expect(backoffMs(4, () => 1)).toBe(16_000);
    expect(backoffMs(30, () => 1)).toBe(600_000);
    const samples = new Set(Array.from({ length: 20 }, () => backoffMs(3)));
    expect(samples.size).toBeGreaterThan(1);
  });

  it("honours Retry-After on 429 without using up attempts", () => {
    expect(decideRetry(api(429, 30), 7, 8, () => 0)).toEqual({
      action: "retry",
      delayMs: 30_000,
      countAttempt: false,
    });
  });

  it("waits 30 to 60 s on an application-level 429 (no Retry-After), whatever the attempt", () => {
    expect(decideRetry(api(429, null), 1, 8, () => 0)).toEqual({
      action: "retry",
      delayMs: 30_000,
      countAttempt: false,
    });
    expect(decideRetry(api(429, null), 1, 8, () => 1)).toEqual({
      action: "retry",
      delayMs: 61_000,
      countAttempt: false,
    });
  });

  it("pauses the integration's job group on 401 and 403", () => {
    expect(decideRetry(api(401, null, "401 Unauthorized"), 1, 8)).toMatchObject({
      action: "pause-group",
      reason: expect.stringContaining("401"),
    });
    expect(decideRetry(api(403), 1, 8).action).toBe("pause-group");
  });

  it("retries 5xx, network errors and resource locks until the limit, then fails", () => {
    expect(decideRetry(api(502), 1, 8).action).toBe("retry");
    expect(decideRetry(new GitLabUnreachableError("https://g", "timeout", "t"), 1, 8).action).toBe("retry");
    expect(decideRetry(api(409, null, "409 Conflict: Resource lock"), 1, 8).action).toBe("retry");
    expect(decideRetry(api(502), 8, 8)).toEqual({ action: "fail" });
    expect(decideRetry(new Error("bug"), 8, 8)).toEqual({ action: "fail" });
  });

  it("calls 5xx and network errors an outage, which an integration's jobs wait out without end", () => {
    const group = { outageRetries: 40 };
    for (const error of [
      api(503),
      api(500),
      new GitLabUnreachableError("https://g", "refused", "ECONNREFUSED"),
      new GitLabUnreachableError("https://g", "not_gitlab", "an HTML page"),
    ])
      expect(decideRetry(error, 8, 8, Math.random, group)).toMatchObject({ action: "retry", outage: true });
    // Not an outage: a resource lock, a too-large answer, a 4xx.
    expect(decideRetry(api(409, null, "Resource lock"), 8, 8, Math.random, group)).toEqual({
      action: "fail",
    });
    expect(
      decideRetry(new GitLabUnreachableError("https://g", "too_large", "x"), 8, 8, Math.random, group),
    ).toEqual({ action: "fail" });
    expect(decideRetry(api(404), 1, 8, Math.random, group)).toEqual({ action: "fail" });
  });

  it("fails at once on other 4xx and permanent errors", () => {
    expect(decideRetry(api(404), 1, 8)).toEqual({ action: "fail" });
    expect(decideRetry(api(422), 1, 8)).toEqual({ action: "fail" });
    expect(decideRetry(new PermanentJobError("gone"), 1, 8)).toEqual({ action: "fail" });
  });
});
