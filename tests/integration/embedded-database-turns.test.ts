import { describe, expect, it } from "vitest";
import { openDatabase } from "@/lib/db/open-database";

// PGlite runs queries on this thread. Without turns, queued queries ran back to back in one
// synchronous block and nothing else (reading requests, answering them) happened until the queue
// was empty.
describe("embedded database", () => {
  it("lets the event loop run between queued queries", async () => {
    const db = await openDatabase({ kind: "memory" }, { migrate: false });
    try {
      await db.sql.query("SELECT 1");
      const finished: number[] = [];
      let eventLoopRanAfter = -1;
      const queries = Array.from({ length: 20 }, (_, index) =>
        db.sql.query("SELECT count(*) FROM generate_series(1, 20000)").then(() => finished.push(index)),
      );
      setImmediate(() => (eventLoopRanAfter = finished.length));
      await Promise.all(queries);
      expect(finished).toHaveLength(20);
      // The event loop got a turn before the last query ran.
      expect(eventLoopRanAfter).toBeGreaterThanOrEqual(0);
      expect(eventLoopRanAfter).toBeLessThan(20);
    } finally {
      await db.close();
    }
  });
});
