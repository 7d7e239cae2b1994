import { describe, expect, it, vi } from "vitest";
import { currentDatabase } from "@/lib/db/client";
import { openDatabase } from "@/lib/db/open-database";
import { environmentFlags } from "@/lib/serving/flagsmith-api";
import { snapshotStore, type SnapshotStore } from "@/lib/serving/snapshot-store";
import { seedOrganisation } from "@/tests/support/api";
import { createFeature, createProjectWithEnvironments } from "@/tests/support/flags";
import { setFeatureState } from "@/tests/support/sdk";
import { ownTestDatabaseUrl } from "@/tests/support/test-database";

// Several Flagpost instances on one database: a change made through one is served by the others
// within a second. On PostgreSQL (the test runner's PostgreSQL stage sets TEST_DATABASE_URL) two
// database handles stand for two instances and the change travels by LISTEN/NOTIFY; on the
// embedded database there is one process, which invalidates in-process.

async function servedEnabled(store: SnapshotStore, envApiKey: string, featureName: string) {
  const ref = await store.resolveKey(envApiKey);
  if (!ref) throw new Error("key not resolved");
  const flags = JSON.parse(environmentFlags(await store.snapshot(ref)).body) as Array<{
    enabled: boolean;
    feature: { name: string };
  }>;
  return flags.find((flag) => flag.feature.name === featureName)?.enabled;
}

async function setUp() {
  const { apiKey } = await seedOrganisation();
  const { project, environments } = await createProjectWithEnvironments(apiKey, ["Production"]);
  const environment = environments[0]!;
  const feature = await createFeature(apiKey, project.id, { name: "kill_switch" });
  return { apiKey, environment, feature };
}

describe("serving across instances", () => {
  it("serves a toggle made through one instance from the other within a second", async () => {
    const { apiKey, environment, feature } = await setUp();
    const a = currentDatabase();
    const url = ownTestDatabaseUrl(a);
    // Instance B: its own handle (its own pool and LISTEN connection) on PostgreSQL; on the
    // embedded database the one process is every instance.
    const b = url ? await openDatabase({ kind: "postgres", url, poolSize: 2 }, { migrate: false }) : a;
    const storeB = snapshotStore(b);
    try {
      expect(await servedEnabled(storeB, environment.api_key, "kill_switch")).toBe(false);

      await setFeatureState(apiKey, environment.api_key, feature.id, { enabled: true });
      await vi.waitFor(
        async () => expect(await servedEnabled(storeB, environment.api_key, "kill_switch")).toBe(true),
        { timeout: 1_000, interval: 10 },
      );

      if (url) {
        // B's LISTEN connection is killed: what changes meanwhile still reaches B (the version
        // check while it is down, then again on reconnection).
        await a.sql.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()",
        );
        await setFeatureState(apiKey, environment.api_key, feature.id, { enabled: false });
        await vi.waitFor(
          async () => expect(await servedEnabled(storeB, environment.api_key, "kill_switch")).toBe(false),
          { timeout: 5_000, interval: 20 },
        );
        // And once reconnected, NOTIFY works again.
        await setFeatureState(apiKey, environment.api_key, feature.id, { enabled: true });
        await vi.waitFor(
          async () => expect(await servedEnabled(storeB, environment.api_key, "kill_switch")).toBe(true),
          { timeout: 5_000, interval: 20 },
        );
      }
    } finally {
      if (b !== a) {
        await storeB.close();
        await b.close();
      }
    }
  });
});
