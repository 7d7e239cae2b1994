import "server-only";
import { env } from "@/lib/env";

// Per-key token buckets for the SDK endpoints, in memory (each instance limits what it serves).
// A bucket holds up to two seconds' worth of requests and refills continuously; an empty bucket
// answers with the seconds until the next token (Retry-After).

interface Bucket {
  tokens: number;
  updatedAt: number;
}

const MAX_BUCKETS = 100_000;
const state = globalThis as unknown as { __flagpostSdkBuckets?: Map<string, Bucket> };

/** Null when the request may proceed, else the seconds to wait. */
export function takeSdkToken(key: string, now = Date.now()): number | null {
  const perSecond = env().FLAGPOST_SDK_RATE_LIMIT;
  if (perSecond === 0) return null;
  const capacity = perSecond * 2;
  const buckets = (state.__flagpostSdkBuckets ??= new Map());
  let bucket = buckets.get(key);
  if (!bucket) {
    // Keys are checked before they are counted, so only real keys fill this; still bounded.
    if (buckets.size >= MAX_BUCKETS) buckets.clear();
    bucket = { tokens: capacity, updatedAt: now };
    buckets.set(key, bucket);
  }
  bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.updatedAt) / 1000) * perSecond);
  bucket.updatedAt = now;
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return null;
  }
  return Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
}

/** Tests start from full buckets. */
export function resetSdkRateLimits(): void {
  state.__flagpostSdkBuckets?.clear();
}
