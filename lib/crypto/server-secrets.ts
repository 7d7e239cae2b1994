import "server-only";
import { createHash, hkdfSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";

// Flagpost has one operator secret, FLAGPOST_SECRET_KEY. When it is unset a random one is
// generated into the data directory on first use. Purpose-specific keys are derived from it with
// HKDF so that, say, the session signing key never doubles as the encryption key.

const cache = globalThis as unknown as { __flagpostRootSecret?: string };

function readOrCreateGeneratedSecret(dataDir: string): string {
  const file = path.join(dataDir, "secret-key");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const generated = randomBytes(32).toString("base64url");
  try {
    fs.writeFileSync(file, `${generated}\n`, { mode: 0o600, flag: "wx" });
    return generated;
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return fs.readFileSync(file, "utf8").trim();
    throw error;
  }
}

function rootSecret(): string {
  const configured = env().FLAGPOST_SECRET_KEY;
  if (configured) return configured;
  cache.__flagpostRootSecret ??= readOrCreateGeneratedSecret(env().dataDir);
  return cache.__flagpostRootSecret;
}

export type KeyPurpose = "encryption" | "session";

export function deriveKey(purpose: KeyPurpose, source: string = rootSecret()): Buffer {
  return Buffer.from(hkdfSync("sha256", source, "flagpost", `flagpost:${purpose}`, 32));
}

/** Short, non-secret identifier of a key, stored with ciphertexts to detect key changes. */
export function keyFingerprint(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 8);
}

export function resetServerSecretsForTests(): void {
  cache.__flagpostRootSecret = undefined;
}
