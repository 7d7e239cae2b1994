import { beforeAll, describe, expect, it } from "vitest";
import { encryptSecret } from "@/lib/crypto/secret-box";
import { deriveKey, resetServerSecretsForTests } from "@/lib/crypto/server-secrets";
import { resetEnvForTests } from "@/lib/env";
import { checkWebhookToken, tokensMatch } from "@/lib/gitlab/webhooks/authenticate";

describe("webhook token check", () => {
  beforeAll(() => {
    process.env.FLAGPOST_SECRET_KEY = "unit-test-secret-key-".repeat(3);
    resetEnvForTests();
    resetServerSecretsForTests();
  });

  it("compares tokens of any length without throwing", () => {
    expect(tokensMatch("s3cret", "s3cret")).toBe(true);
    expect(tokensMatch("s3cret", "s3cre")).toBe(false);
    expect(tokensMatch("", "s3cret")).toBe(false);
    expect(tokensMatch("x".repeat(10_000), "s3cret")).toBe(false);
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
