import "server-only";
import { timingSafeEqual, createHash } from "node:crypto";
import { ApiError } from "@/lib/api/errors";
import { env } from "@/lib/env";
import { drainJobs } from "@/lib/jobs/worker";

// For deployments that prefer an external scheduler (cron, Kubernetes CronJob) to the in-process
// worker: POST /api/internal/jobs/run with `Authorization: Bearer <FLAGPOST_INTERNAL_SECRET>`
// drains one batch. Without the secret configured the endpoint is closed.

function sameSecret(given: string, expected: string): boolean {
  // Hash first so the comparison is constant-time whatever the lengths.
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

export function assertInternalCaller(authorization: string | null): void {
  const expected = env().FLAGPOST_INTERNAL_SECRET;
  if (!expected) throw new ApiError("not_found", "Not found");
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  if (!match || !sameSecret(match[1]!, expected))
    throw new ApiError("unauthorized", "Missing or wrong internal secret");
}

export function runJobBatch() {
  return drainJobs({ budgetMs: 20_000 });
}
