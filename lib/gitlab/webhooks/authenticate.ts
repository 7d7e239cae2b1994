import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { decryptSecret, SecretKeyMismatchError } from "@/lib/crypto/secret-box";
import { deriveKey } from "@/lib/crypto/server-secrets";

// GitLab proves a delivery by sending the hook's secret token verbatim in `X-Gitlab-Token` (a
// static bearer secret, not a signature). Both sides are hashed before the constant-time compare
// so neither the length nor a common prefix of the secret shows in the timing.

export type TokenCheck = { ok: true } | { ok: false; reason: string };

const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();

// Every delivery needs its integration's secret, and decrypting it was a good part of the check's
// cost: its digest is kept per encryption key and stored value (a new secret is a new value).
// Only the digest stays in memory, never the secret.
const secretDigests = new WeakMap<Buffer, Map<string, Buffer>>();

function storedSecretDigest(sealedSecret: string): Buffer {
  const key = deriveKey("encryption");
  let digests = secretDigests.get(key);
  if (!digests) secretDigests.set(key, (digests = new Map()));
  let expected = digests.get(sealedSecret);
  if (!expected) {
    expected = digest(decryptSecret(sealedSecret, key));
    // Bounded: one entry per integration secret in use.
    if (digests.size >= 1_000) digests.clear();
    digests.set(sealedSecret, expected);
  }
  return expected;
}

/** Checks the delivery's token against the integration's stored (encrypted) webhook secret. */
export function checkWebhookToken(given: string | null, sealedSecret: string): TokenCheck {
  if (given === null || given === "")
    return { ok: false, reason: "The delivery carries no X-Gitlab-Token header" };
  let expected: Buffer;
  try {
    expected = storedSecretDigest(sealedSecret);
  } catch (error) {
    if (error instanceof SecretKeyMismatchError) {
      return {
        ok: false,
        reason:
          "The stored webhook secret cannot be read (FLAGPOST_SECRET_KEY changed): set a new secret on the integration and in GitLab",
      };
    }
    throw error;
  }
  return timingSafeEqual(digest(given), expected)
    ? { ok: true }
    : { ok: false, reason: "X-Gitlab-Token does not match the integration's webhook secret" };
}
