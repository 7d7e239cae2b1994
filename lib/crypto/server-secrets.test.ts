import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  checkServerSecret,
  deriveKey,
  MIN_SECRET_KEY_LENGTH,
  resetServerSecretsForTests,
  SecretKeyError,
} from "@/lib/crypto/server-secrets";
import { EnvError, parseEnv, resetEnvForTests } from "@/lib/env";

// The root secret signs sessions and encrypts GitLab tokens: a key anyone can compute (an empty
// file) must stop the server instead of being used.
describe("the server's secret key", () => {
  let dataDir: string;
  const saved = { ...process.env };

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "flagpost-secret-"));
    process.env.FLAGPOST_DATA_DIR = dataDir;
    delete process.env.FLAGPOST_SECRET_KEY;
    delete process.env.DATABASE_URL;
    resetEnvForTests();
    resetServerSecretsForTests();
  });
  afterEach(() => {
    process.env = { ...saved };
    resetEnvForTests();
    resetServerSecretsForTests();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it.each([
    ["an empty file", ""],
    ["a blank file", "  \n"],
    ["a short key", "a".repeat(MIN_SECRET_KEY_LENGTH - 1)],
  ])("refuses %s with one clear line", (_case, content) => {
    fs.writeFileSync(path.join(dataDir, "secret-key"), content);
    expect(() => deriveKey("session")).toThrow(SecretKeyError);
    expect(() => deriveKey("session")).toThrow(
      /secret-key holds a secret key of \d+ characters; Flagpost needs at least 32/,
    );
    expect(() => checkServerSecret(() => {})).toThrow(SecretKeyError);
    try {
      deriveKey("encryption");
    } catch (error) {
      expect((error as Error).message).not.toContain("\n");
    }
  });

  it("refuses a short key from the environment, spaces not counted", () => {
    expect(() => parseEnv({ FLAGPOST_SECRET_KEY: "x".repeat(31) })).toThrow(EnvError);
    expect(() => parseEnv({ FLAGPOST_SECRET_KEY: ` ${"x".repeat(20)}${" ".repeat(20)}` })).toThrow(
      /FLAGPOST_SECRET_KEY: must be at least 32 characters/,
    );
    expect(parseEnv({ FLAGPOST_SECRET_KEY: "x".repeat(32) }).FLAGPOST_SECRET_KEY).toBe("x".repeat(32));
  });

  it("accepts a long enough key file as it is", () => {
    fs.writeFileSync(path.join(dataDir, "secret-key"), `${"k".repeat(40)}\n`);
    expect(deriveKey("session")).toEqual(deriveKey("session", "k".repeat(40)));
  });

  it("generates a key readable by its owner only, written whole, with no temporary file left", () => {
    const key = deriveKey("session");
    const file = path.join(dataDir, "secret-key");
    const stored = fs.readFileSync(file, "utf8");
    expect(stored).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
    expect(key).toEqual(deriveKey("session", stored.trim()));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dataDir)).toEqual(["secret-key"]);
  });

  it("uses the key another process wrote first instead of replacing it", () => {
    const file = path.join(dataDir, "secret-key");
    const theirs = "t".repeat(43);
    // Another process wins the race between our read (nothing there) and our write.
    const originalLink = fs.linkSync;
    fs.linkSync = ((existing: fs.PathLike, target: fs.PathLike) => {
      fs.writeFileSync(file, `${theirs}\n`, { mode: 0o600 });
      return originalLink(existing, target);
    }) as typeof fs.linkSync;
    try {
      expect(deriveKey("session")).toEqual(deriveKey("session", theirs));
    } finally {
      fs.linkSync = originalLink;
    }
    expect(fs.readFileSync(file, "utf8").trim()).toBe(theirs);
    expect(fs.readdirSync(dataDir)).toEqual(["secret-key"]);
  });

  it("says once at start-up that a generated key sits next to the embedded database", () => {
    const warnings: string[] = [];
    checkServerSecret((message) => warnings.push(message));
    checkServerSecret((message) => warnings.push(message));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/next to the data it protects/);
  });

  it("says nothing when the key comes from the environment", () => {
    process.env.FLAGPOST_SECRET_KEY = "e".repeat(40);
    resetEnvForTests();
    const warnings: string[] = [];
    checkServerSecret((message) => warnings.push(message));
    expect(warnings).toEqual([]);
  });
});
