import { describe, expect, it } from "vitest";
import { deliveryKey } from "@/lib/gitlab/webhooks/dedupe-key";

describe("delivery dedupe key", () => {
  it("prefers Idempotency-Key, falls back to X-Gitlab-Webhook-UUID, and is scoped to the project", () => {
    const both = new Headers({ "idempotency-key": "a1b2-c3", "x-gitlab-webhook-uuid": "uuid-1" });
    expect(deliveryKey(both, 7)).toEqual({ raw: "a1b2-c3", dedupeKey: "7:a1b2-c3" });
    expect(deliveryKey(new Headers({ "x-gitlab-webhook-uuid": " uuid-1 " }), 7)).toEqual({
      raw: "uuid-1",
      dedupeKey: "7:uuid-1",
    });
    expect(deliveryKey(new Headers({ "x-gitlab-event-uuid": "not-a-key" }), 7)).toBeNull();
    expect(deliveryKey(new Headers({ "idempotency-key": "   " }), 7)).toBeNull();
  });

  it("hashes long or unusual keys so the unique index always takes them", () => {
    const long = deliveryKey(new Headers({ "idempotency-key": "k".repeat(5000) }), 3)!;
    expect(long.dedupeKey).toMatch(/^3:sha256:[0-9a-f]{64}$/);
    expect(long.raw).toHaveLength(200);
    expect(deliveryKey(new Headers({ "idempotency-key": "two words" }), 3)!.dedupeKey).toMatch(/^3:sha256:/);
    expect(deliveryKey(new Headers({ "idempotency-key": "two words" }), 3)).toEqual(
      deliveryKey(new Headers({ "idempotency-key": "two words" }), 3),
    );
  });
});
