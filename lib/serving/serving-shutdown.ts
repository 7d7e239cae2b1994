import "server-only";
import { currentDatabase } from "@/lib/db/client";
import type { Database } from "@/lib/db/open-database";
import { onShutdown } from "@/lib/server/shutdown";
import { flagAnalytics } from "@/lib/serving/flag-analytics";
import { traitWriter } from "@/lib/serving/trait-writer";

/** Writes the SDK traits and flag analytics still buffered in memory. */
async function flushServingWrites(db: Database): Promise<void> {
  await Promise.all([traitWriter(db).flush(), flagAnalytics(db).flush()]);
}

/** On SIGTERM / SIGINT, the buffers are written before the process exits. */
export function registerServingShutdown(): void {
  onShutdown("sdk-writes", async () => {
    let db: Database;
    try {
      db = currentDatabase();
    } catch {
      return; // Never opened: nothing was buffered.
    }
    await flushServingWrites(db);
  });
}
