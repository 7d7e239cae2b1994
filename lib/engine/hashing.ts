import { createHash } from "node:crypto";

/**
 * Flagsmith's bucketing: md5 of the ids joined with commas, taken modulo 9999 and scaled to
 * [0, 100). A result of exactly 100 is re-hashed with the ids repeated once more, as Flagsmith does.
 * The modulo is folded over the digest bytes instead of going through a BigInt (same number,
 * several times cheaper); the final division is written exactly like Flagsmith's so the float is
 * bit-identical at split boundaries.
 */
export function hashedPercentage(ids: readonly string[], iterations = 1): number {
  let input = ids.join(",");
  for (let i = 1; i < iterations; i++) input += "," + ids.join(",");
  const digest = createHash("md5").update(input, "utf8").digest();
  let remainder = 0;
  for (let i = 0; i < digest.length; i++) remainder = (remainder * 256 + digest[i]!) % 9999;
  const value = (remainder / 9998.0) * 100;
  return value === 100 ? hashedPercentage(ids, iterations + 1) : value;
}
