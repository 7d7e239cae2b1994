import { beforeAll, describe, expect, it } from "vitest";
import { encryptSecret } from "@/lib/crypto/secret-box";
import { deriveKey, resetServerSecretsForTests } from "@/lib/crypto/server-secrets";
import { resetEnvForTests } from "@/lib/env";
import { checkWebhookToken } from "@/lib/gitlab/webhooks/authenticate";

describe("webhook token check", () => {
  beforeAll(() => {
    process.env.FLAGPOST_SECRET_KEY = "unit-test-secret-key-".repeat(3);
    resetEnvForTests();
    resetServerSecretsForTests();
  });

  it("compares tokens of any length without throwing", () => {
    const sealed = encryptSecret("s3cret");
    expect(checkWebhookToken("s3cret", sealed).ok).toBe(true);
    expect(checkWebhookToken("s3cre", sealed).ok).toBe(false);
    expect(checkWebhookToken("s3cret!", sealed).ok).toBe(false);
    expect(checkWebhookToken("x".repeat(10_000), sealed).ok).toBe(false);
  });

  it("follows a new secret and a new key although it remembers what it checked", () => {
    const first = encryptSecret("first-secret");
    expect(checkWebhookToken("first-secret", first).ok).toBe(true);
    const second = encryptSecret("second-secret");
    expect(checkWebhookToken("first-secret", second).ok).toBe(false);
    expect(checkWebhookToken("second-secret", second).ok).toBe(true);
    expect(checkWebhookToken("first-secret", first).ok).toBe(true);
    // The key changes (FLAGPOST_SECRET_KEY replaced): what was sealed under the old one is refused.
    process.env.FLAGPOST_SECRET_KEY = "another-unit-test-key-".repeat(3);
    resetEnvForTests();
    resetServerSecretsForTests();
    try {
      expect(checkWebhookToken("first-secret", first)).toEqual({
        ok: false,
        reason: expect.stringMatching(/FLAGPOST_SECRET_KEY changed/),
      });
    } finally {
      process.env.FLAGPOST_SECRET_KEY = "unit-test-secret-key-".repeat(3);
      resetEnvForTests();
      resetServerSecretsForTests();
    }
  });

  it("accepts the stored secret and names why anything else is refused", () => {
    const sealed = encryptSecret("hook-secret");
    expect(checkWebhookToken("hook-secret", sealed)).toEqual({ ok: true });
    expect(checkWebhookToken(null, sealed)).toEqual({
      ok: false,
      reason: expect.stringMatching(/no X-Gitlab-Token/),
    });
    expect(checkWebhookToken("", sealed)).toEqual({
      ok: false,
      reason: expect.stringMatching(/no X-Gitlab-Token/),
    });
    expect(checkWebhookToken("hook-secret ", sealed)).toEqual({
      ok: false,
      reason: expect.stringMatching(/does not match/),
    });
  });

  it("refuses (rather than fails) when the secret was sealed under another key", () => {
    const foreign = encryptSecret("hook-secret", deriveKey("encryption", "another-key-".repeat(4)));
    expect(checkWebhookToken("hook-secret", foreign)).toEqual({
      ok: false,
      reason: expect.stringMatching(/FLAGPOST_SECRET_KEY changed/),
    });
  });
});
