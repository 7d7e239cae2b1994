import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, SecretKeyMismatchError } from "@/lib/crypto/secret-box";
import { deriveKey } from "@/lib/crypto/server-secrets";

describe("secret box (AES-256-GCM)", () => {
  const key = deriveKey("encryption", "a".repeat(40));

  it("round-trips and never stores the plaintext", () => {
    const sealed = encryptSecret("glpat-very-secret", key);
    expect(sealed).toMatch(/^v1\.[0-9a-f]{8}\./);
    expect(sealed).not.toContain("glpat");
    expect(decryptSecret(sealed, key)).toBe("glpat-very-secret");
  });

  it("uses a fresh IV each time", () => {
    expect(encryptSecret("same", key)).not.toBe(encryptSecret("same", key));
  });

  it("names a key mismatch instead of returning garbage", () => {
    const sealed = encryptSecret("glpat-very-secret", key);
    const otherKey = deriveKey("encryption", "b".repeat(40));
    expect(() => decryptSecret(sealed, otherKey)).toThrow(SecretKeyMismatchError);
    expect(() => decryptSecret(sealed, otherKey)).toThrow(/FLAGPOST_SECRET_KEY/);
  });

  it("detects tampering", () => {
    const sealed = encryptSecret("glpat-very-secret", key);
    const [version, fingerprint, payload] = sealed.split(".");
    const bytes = Buffer.from(payload!, "base64url");
    bytes[bytes.length - 1]! ^= 1;
    expect(() => decryptSecret(`${version}.${fingerprint}.${bytes.toString("base64url")}`, key)).toThrow();
  });

  it("derives different keys per purpose", () => {
    const source = randomBytes(32).toString("hex");
    expect(deriveKey("encryption", source).equals(deriveKey("session", source))).toBe(false);
  });
});
