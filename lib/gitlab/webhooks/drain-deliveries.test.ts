import { describe, expect, it } from "vitest";
import { restFactor } from "@/lib/gitlab/webhooks/drain-deliveries";

describe("restFactor", () => {
  it("rests long after a batch while a burst is young, and as long as the batch once its oldest delivery waited 5 s", () => {
    const now = Date.parse("2026-12-04T12:00:00Z");
    expect(restFactor(now - 4_999, now)).toBe(8);
    expect(restFactor(now - 5_000, now)).toBe(1);
  });
});
