import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { deriveKey, keyFingerprint } from "@/lib/crypto/server-secrets";

// AES-256-GCM for secrets at rest (GitLab access tokens, webhook secrets).
// Format: "v1.<key fingerprint>.<base64url(iv | tag | ciphertext)>".

export class SecretKeyMismatchError extends Error {
  constructor() {
    super(
      "A stored secret was encrypted with a different FLAGPOST_SECRET_KEY. Restore the previous key, " +
        "or re-enter the secret (for a GitLab integration: rotate its access token).",
    );
    this.name = "SecretKeyMismatchError";
  }
}

export function encryptSecret(plaintext: string, key: Buffer = deriveKey("encryption")): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const payload = Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64url");
  return `v1.${keyFingerprint(key)}.${payload}`;
}

export function decryptSecret(sealed: string, key: Buffer = deriveKey("encryption")): string {
  const [version, fingerprint, payload] = sealed.split(".");
  if (version !== "v1" || !fingerprint || !payload) throw new Error("Unrecognised encrypted secret format");
  if (fingerprint !== keyFingerprint(key)) throw new SecretKeyMismatchError();
  const raw = Buffer.from(payload, "base64url");
  const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  try {
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretKeyMismatchError();
  }
}
