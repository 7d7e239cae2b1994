import { describe, expect, it } from "vitest";
import { restFactor } from "@/lib/gitlab/webhooks/drain-deliveries";

describe("restFactor", () => {
  it("rests long after a batch while a burst is young, and as long as the batch once its backlog waited 5 s", () => {
    const now = Date.parse("2026-12-04T12:00:00Z");
    const received = (msAgo: number) => ({ received_at: new Date(now - msAgo) });
    expect(restFactor([received(0), received(4_999)], now)).toBe(8);
    expect(restFactor([received(0), received(5_000)], now)).toBe(1);
  });
});
