import { describe, expect, it } from "vitest";
import { deliveryRow, truncateUtf8 } from "@/lib/gitlab/webhooks/delivery-log";

describe("delivery log rows", () => {
  it("cuts bodies at 64 KB of UTF-8 on a character boundary", () => {
    expect(truncateUtf8("short")).toBe("short");
    const cut = truncateUtf8("€".repeat(30_000));
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(64 * 1024);
    expect(cut).toBe("€".repeat(Math.floor((64 * 1024) / 3)));
    expect(truncateUtf8("a🚩", 3)).toBe("a");
  });

  it("stores text the database can hold", () => {
    const row = deliveryRow({
      projectId: 1,
      integrationId: 2,
      receivedAt: new Date(0),
      event: "Issue\u0000 Hook",
      itemRef: "x".repeat(1000),
      result: "ERROR",
      httpStatus: 400,
      body: "{\u0000\ud800}",
      durationMs: 3,
    });
    expect(row.event).toBe("Issue\uFFFD Hook");
    expect(row.itemRef).toHaveLength(300);
    expect(row.body).toBe("{\uFFFD\uFFFD}");
    expect(row).toMatchObject({ action: null, dedupeKey: null, reason: null });
  });
});
