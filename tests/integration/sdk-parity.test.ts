import { afterEach, describe, expect, it, vi } from "vitest";
import * as projectRoute from "@/app/api/v1/projects/[projectId]/route";
import { currentDatabase, prisma } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { runShutdownHooks } from "@/lib/server/shutdown";
import { flagAnalytics } from "@/lib/serving/flag-analytics";
import { resetSdkRateLimits } from "@/lib/serving/rate-limit";
import { registerServingShutdown } from "@/lib/serving/serving-shutdown";
import { traitWriter } from "@/lib/serving/trait-writer";
import { call, seedOrganisation } from "@/tests/support/api";
import { createFeature, createProjectWithEnvironments, expectStatus } from "@/tests/support/flags";
import { createServerKey, sdkRequest } from "@/tests/support/sdk";

// Flagsmith parity of the SDK API: analytics, hide_disabled_flags, buffered writes on shutdown.

async function setUp() {
  const { apiKey } = await seedOrganisation();
  const { project, environments } = await createProjectWithEnvironments(apiKey, ["Development"]);
  const development = environments[0]!;
  await createFeature(apiKey, project.id, { name: "banner", initial_value: "hello", default_enabled: true });
  await createFeature(apiKey, project.id, { name: "dark_mode" });
  return { apiKey, project, development };
}

const names = (flags: Array<{ feature: { name: string } }>) => flags.map((flag) => flag.feature.name).sort();

afterEach(() => {
  resetEnvForTests();
  resetSdkRateLimits();
});

describe("Flagsmith SDK API: analytics", () => {
  it("adds posted evaluation counts per feature and day, in batches, ignoring unknown names", async () => {
    const { development } = await setUp();
    const headers = { "x-environment-key": development.api_key };
    for (const counts of [
      { banner: 3, dark_mode: 1 },
      { banner: 2, unknown_flag: 9 },
    ]) {
      const res = await sdkRequest("POST", "/api/v1/analytics/flags/", { headers, body: counts });
      expect(res.status).toBe(200);
    }
    // Nothing written per request…
    expect(await prisma.flagEvaluationCount.count({ where: { environmentId: development.id } })).toBe(0);
    // …but on the flush, one row per feature and day.
    await flagAnalytics(currentDatabase()).flush();
    const rows = await prisma.flagEvaluationCount.findMany({
      where: { environmentId: development.id },
      include: { feature: { select: { name: true } } },
      orderBy: { featureId: "asc" },
    });
    expect(rows.map((row) => [row.feature.name, Number(row.count)])).toEqual([
      ["banner", 5],
      ["dark_mode", 1],
    ]);
    expect(rows[0]!.day.toISOString().slice(0, 10)).toBe(new Date().toISOString().slice(0, 10));

    await sdkRequest("POST", "/api/v1/analytics/flags/", { headers, body: { banner: 10 } });
    await flagAnalytics(currentDatabase()).flush();
    const banner = await prisma.flagEvaluationCount.findFirstOrThrow({
      where: { environmentId: development.id, feature: { name: "banner" } },
    });
    expect(Number(banner.count)).toBe(15);
  });

  it("answers bad analytics requests in Flagsmith's shapes", async () => {
    const { development } = await setUp();
    const headers = { "x-environment-key": development.api_key };
    expect((await sdkRequest("POST", "/api/v1/analytics/flags/", { body: { banner: 1 } })).status).toBe(401);
    const negative = await sdkRequest("POST", "/api/v1/analytics/flags/", { headers, body: { banner: -1 } });
    expect(negative.status).toBe(400);
    expect(negative.body).toEqual({ banner: [expect.any(String)] });
    const notObject = await sdkRequest("POST", "/api/v1/analytics/flags/", { headers, body: [1, 2] });
    expect(notObject.status).toBe(400);
    const malformed = await sdkRequest("POST", "/api/v1/analytics/flags/", {
      headers: { ...headers, "content-type": "application/json" },
      rawBody: "{nope",
    });
    expect(malformed).toMatchObject({ status: 400, body: { detail: expect.stringMatching(/Malformed/) } });
    await flagAnalytics(currentDatabase()).flush();
    expect(await prisma.flagEvaluationCount.count({ where: { environmentId: development.id } })).toBe(0);
  });
});

describe("hide_disabled_flags", () => {
  it("leaves disabled flags out of flags, identities and the environment document once set", async () => {
    const { apiKey, project, development } = await setUp();
    const headers = { "x-environment-key": development.api_key };
    const serverKey = await createServerKey(apiKey, development.api_key);
    const read = async () => ({
      flags: (await sdkRequest("GET", "/api/v1/flags/", { headers })).body,
      identity: (
        await sdkRequest("POST", "/api/v1/identities/", {
          headers,
          body: { identifier: "ada", transient: true, traits: [] },
        })
      ).body,
      document: (
        await sdkRequest("GET", "/api/v1/environment-document/", {
          headers: { "x-environment-key": serverKey.key },
        })
      ).body,
    });

    const before = await read();
    expect(names(before.flags)).toEqual(["banner", "dark_mode"]);
    expect(names(before.identity.flags)).toEqual(["banner", "dark_mode"]);
    expect(before.document.project.hide_disabled_flags).toBe(false);

    const updated = expectStatus(
      await call(projectRoute.PATCH, "PATCH", `/api/v1/projects/${project.id}/`, {
        apiKey,
        params: { projectId: project.id },
        body: { hide_disabled_flags: true },
      }),
      200,
    );
    expect(updated.hide_disabled_flags).toBe(true);

    // On PostgreSQL the change reaches the snapshots through NOTIFY, within a second.
    await vi.waitFor(
      async () => {
        const after = await read();
        expect(names(after.flags)).toEqual(["banner"]);
        expect(names(after.identity.flags)).toEqual(["banner"]);
        // SDKs evaluating locally hide them themselves, as with Flagsmith.
        expect(after.document.project.hide_disabled_flags).toBe(true);
      },
      { timeout: 1_000, interval: 20 },
    );
  });
});

describe("graceful shutdown", () => {
  it("writes the traits and analytics still buffered when the shutdown hooks run", async () => {
    const { development } = await setUp();
    const headers = { "x-environment-key": development.api_key };
    await sdkRequest("POST", "/api/v1/identities/", {
      headers,
      body: { identifier: "grace", traits: [{ trait_key: "plan", trait_value: "pro" }] },
    });
    await sdkRequest("POST", "/api/v1/analytics/flags/", { headers, body: { banner: 4 } });
    expect(await prisma.identity.count({ where: { environmentId: development.id } })).toBe(0);

    registerServingShutdown();
    await runShutdownHooks();

    const identity = await prisma.identity.findFirstOrThrow({
      where: { environmentId: development.id, identifier: "grace" },
      include: { traits: true },
    });
    expect(identity.traits.map((trait) => [trait.key, trait.value])).toEqual([["plan", "pro"]]);
    const counts = await prisma.flagEvaluationCount.findMany({ where: { environmentId: development.id } });
    expect(counts.map((row) => Number(row.count))).toEqual([4]);
  });
});

describe("trait writes", () => {
  it("queues only traits whose value changed, so resending the same traits writes nothing", async () => {
    const { development } = await setUp();
    const headers = { "x-environment-key": development.api_key };
    const writer = traitWriter(currentDatabase());
    const send = (traits: Array<{ trait_key: string; trait_value: string | number | null }>) =>
      sdkRequest("POST", "/api/v1/identities/", { headers, body: { identifier: "repeat", traits } });
    await send([
      { trait_key: "plan", trait_value: "pro" },
      { trait_key: "age", trait_value: 36 },
    ]);
    await writer.flush();
    expect(writer.unwritten(development.id, "repeat")).toBeUndefined();

    const again = await send([
      { trait_key: "plan", trait_value: "pro" },
      { trait_key: "age", trait_value: 36 },
      { trait_key: "gone", trait_value: null },
    ]);
    expect(again.body.traits).toEqual([
      { trait_key: "age", trait_value: 36 },
      { trait_key: "plan", trait_value: "pro" },
    ]);
    expect(writer.unwritten(development.id, "repeat")).toBeUndefined();

    // A different value (even of another type) is written.
    await send([{ trait_key: "age", trait_value: "36" }]);
    expect([...(writer.unwritten(development.id, "repeat") ?? [])]).toEqual([["age", "36"]]);
    await writer.flush();
    const age = await prisma.trait.findFirstOrThrow({
      where: { key: "age", identity: { identifier: "repeat", environmentId: development.id } },
    });
    expect([age.valueType, age.value]).toEqual(["STRING", "36"]);
  });
});
