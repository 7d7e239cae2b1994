import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { decryptSecret, SecretKeyMismatchError } from "@/lib/crypto/secret-box";

// GitLab proves a delivery by sending the hook's secret token verbatim in `X-Gitlab-Token` (a
// static bearer secret, not a signature). Both sides are hashed before the constant-time compare
// so neither the length nor a common prefix of the secret shows in the timing.

export type TokenCheck = { ok: true } | { ok: false; reason: string };

const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();

export function tokensMatch(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** Checks the delivery's token against the integration's stored (encrypted) webhook secret. */
export function checkWebhookToken(given: string | null, sealedSecret: string): TokenCheck {
  if (given === null || given === "")
    return { ok: false, reason: "The delivery carries no X-Gitlab-Token header" };
  let expected: string;
  try {
    expected = decryptSecret(sealedSecret);
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
  return tokensMatch(given, expected)
    ? { ok: true }
    : { ok: false, reason: "X-Gitlab-Token does not match the integration's webhook secret" };
}
