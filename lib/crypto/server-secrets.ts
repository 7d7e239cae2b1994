import "server-only";
import { createHash, hkdfSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";

// Flagpost has one operator secret, FLAGPOST_SECRET_KEY. When it is unset a random one is
// generated into the data directory on first use. Purpose-specific keys are derived from it with
// HKDF so that, say, the session signing key never doubles as the encryption key.

const cache = globalThis as unknown as {
  __flagpostRootSecret?: string;
  __flagpostKeyPlacementTold?: boolean;
};

/** Shorter keys can be guessed; an empty file once let anyone forge a session. */
export const MIN_SECRET_KEY_LENGTH = 32;

export class SecretKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretKeyError";
  }
}

function checkedKey(key: string, source: string): string {
  if (key.length < MIN_SECRET_KEY_LENGTH) {
    throw new SecretKeyError(
      `${source} holds a secret key of ${key.length} characters; Flagpost needs at least ${MIN_SECRET_KEY_LENGTH}. ` +
        `Set FLAGPOST_SECRET_KEY (openssl rand -base64 32) or delete the file to have one generated.`,
    );
  }
  return key;
}

function readOrCreateGeneratedSecret(dataDir: string): string {
  const file = path.join(dataDir, "secret-key");
  try {
    return checkedKey(fs.readFileSync(file, "utf8").trim(), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const generated = randomBytes(32).toString("base64url");
  // Written whole to a temporary file, then linked into place: a crash never leaves an empty or
  // partial key behind, and unlike rename, link never replaces a key another process just wrote.
  const temp = path.join(dataDir, `.secret-key.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    const fd = fs.openSync(temp, "wx", 0o600);
    try {
      fs.writeSync(fd, `${generated}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.linkSync(temp, file);
    return generated;
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST")
      return checkedKey(fs.readFileSync(file, "utf8").trim(), file);
    throw error;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

function rootSecret(): string {
  const configured = env().FLAGPOST_SECRET_KEY;
  if (configured) return checkedKey(configured, "FLAGPOST_SECRET_KEY");
  cache.__flagpostRootSecret ??= readOrCreateGeneratedSecret(env().dataDir);
  return cache.__flagpostRootSecret;
}

/**
 * Loads (or generates) the root secret at start-up, so a bad key stops the server with one line
 * (SecretKeyError) instead of failing the first sign-in, and says once when the generated key
 * sits in the data directory next to the embedded database it protects: a copy of that directory
 * (a backup, an image) then carries both the ciphertexts and their key.
 */
export function checkServerSecret(warn: (message: string, fields: Record<string, unknown>) => void): void {
  rootSecret();
  const { FLAGPOST_SECRET_KEY, DATABASE_URL, dataDir } = env();
  if (FLAGPOST_SECRET_KEY || DATABASE_URL || cache.__flagpostKeyPlacementTold) return;
  cache.__flagpostKeyPlacementTold = true;
  warn(
    "The secret key is stored next to the data it protects; set FLAGPOST_SECRET_KEY to keep it elsewhere",
    {
      key_file: path.join(dataDir, "secret-key"),
    },
  );
}

export type KeyPurpose = "encryption" | "session";

// HKDF runs once per root secret and purpose: every webhook delivery decrypts its secret.
const derivedKeys = new Map<string, Buffer>();

export function deriveKey(purpose: KeyPurpose, source: string = rootSecret()): Buffer {
  const memo = `${purpose}\u0000${source}`;
  let key = derivedKeys.get(memo);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", source, "flagpost", `flagpost:${purpose}`, 32));
    // Bounded: tests derive keys from many sources.
    if (derivedKeys.size >= 16) derivedKeys.clear();
    derivedKeys.set(memo, key);
  }
  return key;
}

/** Short, non-secret identifier of a key, stored with ciphertexts to detect key changes. */
const fingerprints = new WeakMap<Buffer, string>();

export function keyFingerprint(key: Buffer): string {
  let fingerprint = fingerprints.get(key);
  if (!fingerprint) {
    fingerprint = createHash("sha256").update(key).digest("hex").slice(0, 8);
    fingerprints.set(key, fingerprint);
  }
  return fingerprint;
}

export function resetServerSecretsForTests(): void {
  derivedKeys.clear();
  cache.__flagpostRootSecret = undefined;
  cache.__flagpostKeyPlacementTold = undefined;
}
