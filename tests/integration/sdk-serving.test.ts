import { OFREPProvider } from "@openfeature/ofrep-provider";
import { OpenFeature } from "@openfeature/server-sdk";
import { Flagsmith } from "flagsmith-nodejs";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as identityOverridesRoute from "@/app/api/v1/environments/[envApiKey]/identities/[identityId]/featurestates/route";
import * as identityAdminRoute from "@/app/api/v1/environments/[envApiKey]/identities/[identityId]/route";
import * as traitAdminRoute from "@/app/api/v1/environments/[envApiKey]/identities/[identityId]/traits/[traitId]/route";
import * as traitsAdminRoute from "@/app/api/v1/environments/[envApiKey]/identities/[identityId]/traits/route";
import * as identitiesAdminRoute from "@/app/api/v1/environments/[envApiKey]/identities/route";
import * as serverKeyRoute from "@/app/api/v1/environments/[envApiKey]/api-keys/[keyId]/route";
import * as segmentOverridesRoute from "@/app/api/v1/projects/[projectId]/features/[featureId]/segment-overrides/route";
import * as segmentsRoute from "@/app/api/v1/projects/[projectId]/segments/route";
import { recordAudit } from "@/lib/audit/record-audit";
import { currentDatabase, prisma } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { resetSdkRateLimits } from "@/lib/serving/rate-limit";
import { snapshotStore } from "@/lib/serving/snapshot-store";
import { identityKey, storedIdentityCache } from "@/lib/serving/stored-identities";
import { traitWriter } from "@/lib/serving/trait-writer";
import { BASE_URL, call } from "@/tests/support/api";
import { seedOrganisation } from "@/tests/support/api";
import { createFeature, createProjectWithEnvironments, expectStatus } from "@/tests/support/flags";
import { createServerKey, routeFetch, SDK_API_URL, sdkRequest, setFeatureState } from "@/tests/support/sdk";

// The SDK endpoints through their route handlers, with the real Flagsmith and OpenFeature clients
// (their fetch handed to the handlers), on the process database (PGlite, or PostgreSQL).

async function setUp() {
  const { apiKey } = await seedOrganisation();
  const { project, environments } = await createProjectWithEnvironments(apiKey, [
    "Development",
    "Production",
  ]);
  const [development, production] = environments as [
    (typeof environments)[number],
    (typeof environments)[number],
  ];
  const banner = await createFeature(apiKey, project.id, {
    name: "banner",
    initial_value: "hello",
    default_enabled: true,
  });
  const checkout = await createFeature(apiKey, project.id, { name: "new_checkout" });
  const segment = expectStatus(
    await call(segmentsRoute.POST, "POST", "/", {
      apiKey,
      params: { projectId: project.id },
      body: {
        name: "pro users",
        rules: [
          {
            type: "ALL",
            rules: [{ type: "ANY", conditions: [{ property: "plan", operator: "EQUAL", value: "pro" }] }],
          },
        ],
      },
    }),
    201,
  );
  expectStatus(
    await call(segmentOverridesRoute.POST, "POST", "/", {
      apiKey,
      params: { projectId: project.id, featureId: checkout.id },
      body: { environment: development.id, segment: segment.id, enabled: true, feature_state_value: "pro" },
    }),
    201,
  );
  return { apiKey, project, development, production, banner, checkout, segment };
}

/** Waits (up to a second: the promise) for a changed answer to reach the SDK endpoints. */
async function eventually(check: () => Promise<void>) {
  await vi.waitFor(check, { timeout: 1_000, interval: 10 });
}

const envHeaders = (key: string) => ({ "x-environment-key": key });

afterEach(() => {
  delete process.env.FLAGPOST_SDK_RATE_LIMIT;
  resetEnvForTests();
  resetSdkRateLimits();
});

describe("Flagsmith SDK API: flags", () => {
  it("serves the environment's flags for its client key, in Flagsmith's shape, with CORS", async () => {
    const { development, production, banner } = await setUp();
    const res = await sdkRequest("GET", "/api/v1/flags/", { headers: envHeaders(development.api_key) });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("server-timing")).toMatch(/^app;dur=\d+\.\d\d$/);
    const byName = Object.fromEntries(
      res.body.map((flag: { feature: { name: string } }) => [flag.feature.name, flag]),
    );
    expect(byName.banner).toEqual({
      id: expect.any(Number),
      feature: { id: banner.id, name: "banner", type: "STANDARD" },
      feature_state_value: "hello",
      enabled: true,
      environment: development.id,
      identity: null,
      feature_segment: null,
    });
    expect(byName.new_checkout).toMatchObject({ enabled: false, feature_state_value: null });

    // Another environment's key reads that environment, never this one.
    const other = await sdkRequest("GET", "/api/v1/flags/", { headers: envHeaders(production.api_key) });
    expect(other.body.every((flag: { environment: number }) => flag.environment === production.id)).toBe(
      true,
    );

    const preflight = await sdkRequest("OPTIONS", "/api/v1/flags/");
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-headers")).toMatch(/X-Environment-Key/i);
  });

  it("refuses a missing or unknown key with 401 in Flagsmith's shape", async () => {
    await setUp();
    for (const headers of [{}, envHeaders("not-a-key"), envHeaders("ser.unknown")]) {
      const res = await sdkRequest("GET", "/api/v1/flags/", { headers });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ detail: expect.any(String) });
    }
  });

  it("serves from memory, and follows a toggle made through the admin API", async () => {
    const { apiKey, development, banner } = await setUp();
    const read = async () =>
      (await sdkRequest("GET", "/api/v1/flags/", { headers: envHeaders(development.api_key) })).body.find(
        (flag: { feature: { id: number } }) => flag.feature.id === banner.id,
      );
    expect((await read()).enabled).toBe(true);

    // Warm: no query at all.
    const db = currentDatabase();
    const spy = vi.spyOn(db.prisma.environment, "findMany");
    const first = await sdkRequest("GET", "/api/v1/flags/", { headers: envHeaders(development.api_key) });
    const again = await sdkRequest("GET", "/api/v1/flags/", {
      headers: { ...envHeaders(development.api_key), "if-none-match": first.headers.get("etag")! },
    });
    expect(again.status).toBe(304);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();

    await setFeatureState(apiKey, development.api_key, banner.id, {
      enabled: false,
      feature_state_value: "bye",
    });
    await eventually(async () =>
      expect(await read()).toMatchObject({ enabled: false, feature_state_value: "bye" }),
    );
  });
});

describe("Flagsmith SDK API: identities", () => {
  it("evaluates segments from the request's traits, stores them unless transient, and reads them back", async () => {
    const { development } = await setUp();
    const headers = envHeaders(development.api_key);
    const res = await sdkRequest("POST", "/api/v1/identities/", {
      headers,
      body: {
        identifier: "ada",
        traits: [
          { trait_key: "plan", trait_value: "pro" },
          { trait_key: "age", trait_value: 36 },
          { trait_key: "session", trait_value: "abc", transient: true },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.identifier).toBe("ada");
    const checkout = res.body.flags.find(
      (flag: { feature: { name: string } }) => flag.feature.name === "new_checkout",
    );
    expect(checkout).toMatchObject({ enabled: true, feature_state_value: "pro" });
    expect(res.body.traits).toEqual([
      { trait_key: "plan", trait_value: "pro" },
      { trait_key: "age", trait_value: 36 },
      { trait_key: "session", trait_value: "abc", transient: true },
    ]);

    // Written in the background: this instance already reads them back before the flush…
    const early = await sdkRequest("GET", "/api/v1/identities/?identifier=ada", { headers });
    expect(early.body.traits).toEqual(
      expect.arrayContaining([
        { trait_key: "plan", trait_value: "pro" },
        { trait_key: "age", trait_value: 36 },
      ]),
    );
    // …and after it they are stored, the transient one not.
    await traitWriter(currentDatabase()).flush();
    const identity = await prisma.identity.findFirstOrThrow({
      where: { identifier: "ada", environmentId: development.id },
      include: { traits: { orderBy: { key: "asc" } } },
    });
    expect(identity.traits.map((trait) => [trait.key, trait.valueType, trait.value])).toEqual([
      ["age", "INTEGER", "36"],
      ["plan", "STRING", "pro"],
    ]);

    // A null value deletes a trait; the segment no longer matches.
    const deleted = await sdkRequest("POST", "/api/v1/identities/", {
      headers,
      body: { identifier: "ada", traits: [{ trait_key: "plan", trait_value: null }] },
    });
    expect(deleted.body.traits).toEqual([{ trait_key: "age", trait_value: 36 }]);
    expect(
      deleted.body.flags.find((flag: { feature: { name: string } }) => flag.feature.name === "new_checkout"),
    ).toMatchObject({ enabled: false });
    await traitWriter(currentDatabase()).flush();
    expect(await prisma.trait.count({ where: { identityId: identity.id } })).toBe(1);
  });

  it("reads back what was written since, through the SDK or the admin API (kept in memory on the embedded database)", async () => {
    const { apiKey, development } = await setUp();
    const headers = envHeaders(development.api_key);
    const read = async () => {
      const res = await sdkRequest("GET", "/api/v1/identities/?identifier=lin", { headers });
      expect(res.status).toBe(200);
      const checkout = res.body.flags.find(
        (flag: { feature: { name: string } }) => flag.feature.name === "new_checkout",
      );
      return { traits: res.body.traits, checkout: checkout.enabled };
    };
    const writeThroughSdk = async (plan: string) => {
      await sdkRequest("POST", "/api/v1/identities/", {
        headers,
        body: { identifier: "lin", traits: [{ trait_key: "plan", trait_value: plan }] },
      });
      await traitWriter(currentDatabase()).flush();
    };
    await writeThroughSdk("pro");
    expect(await read()).toEqual({ traits: [{ trait_key: "plan", trait_value: "pro" }], checkout: true });
    // Read twice (the second from memory on the embedded database), then written again by the SDK.
    expect(await read()).toEqual({ traits: [{ trait_key: "plan", trait_value: "pro" }], checkout: true });
    await writeThroughSdk("free");
    expect(await read()).toEqual({ traits: [{ trait_key: "plan", trait_value: "free" }], checkout: false });

    // Edited through the admin API.
    const identity = await prisma.identity.findFirstOrThrow({
      where: { identifier: "lin", environmentId: development.id },
      include: { traits: true },
    });
    const params = { envApiKey: development.api_key, identityId: identity.id };
    expectStatus(
      await call(traitAdminRoute.PATCH, "PATCH", "/", {
        apiKey,
        params: { ...params, traitId: identity.traits[0]!.id },
        body: { trait_value: "pro" },
      }),
      200,
    );
    expect(await read()).toEqual({ traits: [{ trait_key: "plan", trait_value: "pro" }], checkout: true });
    expectStatus(
      await call(traitsAdminRoute.POST, "POST", "/", {
        apiKey,
        params,
        body: { trait_key: "age", trait_value: 7 },
      }),
      201,
    );
    expect((await read()).traits).toEqual([
      { trait_key: "age", trait_value: 7 },
      { trait_key: "plan", trait_value: "pro" },
    ]);

    // Deleted through the admin API: a new identity without traits.
    expectStatus(await call(identityAdminRoute.DELETE, "DELETE", "/", { apiKey, params }), 204);
    expect(await read()).toEqual({ traits: [], checkout: false });
  });

  it("keeps stored identities in memory across changes that cannot touch them (embedded database only)", async () => {
    const { apiKey, development, banner } = await setUp();
    const cache = storedIdentityCache(currentDatabase());
    if (currentDatabase().kind === "postgres") {
      // Other instances write the same tables: nothing to keep.
      expect(cache).toBeNull();
      return;
    }
    const headers = envHeaders(development.api_key);
    await sdkRequest("POST", "/api/v1/identities/", {
      headers,
      body: { identifier: "kim", traits: [{ trait_key: "plan", trait_value: "pro" }] },
    });
    await traitWriter(currentDatabase()).flush();
    expect((await sdkRequest("GET", "/api/v1/identities/?identifier=kim", { headers })).status).toBe(200);
    const fromMemory = () =>
      cache!.read(identityKey(development.id, "kim"), () => Promise.reject(new Error("not in memory")));

    // A toggle is audited, but no identity changed: still in memory.
    await setFeatureState(apiKey, development.api_key, banner.id, { enabled: false });
    expect((await fromMemory())?.traits).toEqual([{ key: "plan", valueType: "STRING", value: "pro" }]);

    // A trait edited through the admin API: forgotten, read again from the database.
    const identity = await prisma.identity.findFirstOrThrow({
      where: { identifier: "kim", environmentId: development.id },
      include: { traits: true },
    });
    expectStatus(
      await call(traitAdminRoute.PATCH, "PATCH", "/", {
        apiKey,
        params: { envApiKey: development.api_key, identityId: identity.id, traitId: identity.traits[0]!.id },
        body: { trait_value: "free" },
      }),
      200,
    );
    await expect(fromMemory()).rejects.toThrow("not in memory");
  });

  it("writes many identities in one flush: new and known ones, deletions, the 200-trait cap", async () => {
    const { development } = await setUp();
    const headers = envHeaders(development.api_key);
    const post = (identifier: string, traits: Array<{ trait_key: string; trait_value: unknown }>) =>
      sdkRequest("POST", "/api/v1/identities/", { headers, body: { identifier, traits } });
    const stored = async (identifier: string) => {
      const identity = await prisma.identity.findFirstOrThrow({
        where: { identifier, environmentId: development.id },
        include: { traits: { orderBy: { key: "asc" } } },
      });
      return identity.traits.map((trait) => [trait.key, trait.valueType, trait.value]);
    };
    const many = Array.from({ length: 200 }, (_, index) => ({ trait_key: `k${index}`, trait_value: "v" }));
    await post("full", many);
    await post("ann", [{ trait_key: "plan", trait_value: "pro" }]);
    await post("bob", [{ trait_key: "plan", trait_value: "free" }]);
    await traitWriter(currentDatabase()).flush();
    expect(await stored("full")).toHaveLength(200);
    expect(await stored("ann")).toEqual([["plan", "STRING", "pro"]]);

    await post("full", [
      { trait_key: "k0", trait_value: "changed" },
      { trait_key: "extra", trait_value: "x" },
    ]);
    await post("ann", [
      { trait_key: "plan", trait_value: null },
      { trait_key: "age", trait_value: 3 },
    ]);
    await post("bob", []);
    await post("cyd", [{ trait_key: "plan", trait_value: "pro" }]);
    await traitWriter(currentDatabase()).flush();
    const full = await stored("full");
    expect(full).toHaveLength(200);
    expect(full).toContainEqual(["k0", "STRING", "changed"]);
    expect(full.map(([key]) => key)).not.toContain("extra");
    expect(await stored("ann")).toEqual([["age", "INTEGER", "3"]]);
    expect(await stored("bob")).toEqual([["plan", "STRING", "free"]]);
    expect(await stored("cyd")).toEqual([["plan", "STRING", "pro"]]);
  });

  it("reads the stored traits of concurrent identity requests together, each identity its own", async () => {
    const { development, production } = await setUp();
    const post = (key: string, identifier: string, plan: string) =>
      sdkRequest("POST", "/api/v1/identities/", {
        headers: envHeaders(key),
        body: { identifier, traits: [{ trait_key: "plan", trait_value: plan }] },
      });
    // The same identifier in two environments is two identities.
    for (const [index, identifier] of ["ann", "bob", "cyd", "dan"].entries())
      await post(development.api_key, identifier, index % 2 === 0 ? "pro" : "free");
    await post(production.api_key, "ann", "enterprise");
    await traitWriter(currentDatabase()).flush();

    const read = (key: string, identifier: string) =>
      sdkRequest("GET", `/api/v1/identities/?identifier=${identifier}`, { headers: envHeaders(key) });
    const answers = await Promise.all([
      ...["ann", "bob", "cyd", "dan", "eve"].map((identifier) => read(development.api_key, identifier)),
      read(production.api_key, "ann"),
    ]);
    expect(answers.map((res) => [res.status, res.body.identifier, res.body.traits])).toEqual([
      [200, "ann", [{ trait_key: "plan", trait_value: "pro" }]],
      [200, "bob", [{ trait_key: "plan", trait_value: "free" }]],
      [200, "cyd", [{ trait_key: "plan", trait_value: "pro" }]],
      [200, "dan", [{ trait_key: "plan", trait_value: "free" }]],
      [200, "eve", []],
      [200, "ann", [{ trait_key: "plan", trait_value: "enterprise" }]],
    ]);
    const checkout = (res: (typeof answers)[number]) =>
      res.body.flags.find((flag: { feature: { name: string } }) => flag.feature.name === "new_checkout")
        .enabled;
    expect(answers.map(checkout)).toEqual([true, false, true, false, false, false]);
  });

  it("keeps a transient identity out of the database", async () => {
    const { development } = await setUp();
    const res = await sdkRequest("POST", "/api/v1/identities/", {
      headers: envHeaders(development.api_key),
      body: { identifier: "ghost", transient: true, traits: [{ trait_key: "plan", trait_value: "pro" }] },
    });
    expect(res.status).toBe(200);
    await traitWriter(currentDatabase()).flush();
    expect(
      await prisma.identity.count({ where: { identifier: "ghost", environmentId: development.id } }),
    ).toBe(0);
  });

  it("answers bad identity requests with Flagsmith's 4xx shapes", async () => {
    const { development } = await setUp();
    const headers = envHeaders(development.api_key);
    const tooMany = await sdkRequest("POST", "/api/v1/identities/", {
      headers,
      body: {
        identifier: "x",
        traits: Array.from({ length: 1000 }, (_, index) => ({ trait_key: `t${index}`, trait_value: index })),
      },
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toEqual({ traits: [expect.stringMatching(/200/)] });

    const malformed = await sdkRequest("POST", "/api/v1/identities/", {
      headers: { ...headers, "content-type": "application/json" },
      rawBody: "{not json",
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({ detail: expect.stringMatching(/Malformed JSON/) });

    const wrongType = await sdkRequest("POST", "/api/v1/identities/", {
      headers: { ...headers, "content-type": "text/plain" },
      rawBody: JSON.stringify({ identifier: "x" }),
    });
    expect(wrongType.status).toBe(415);
    expect(wrongType.body).toEqual({ detail: expect.any(String) });

    const missing = await sdkRequest("GET", "/api/v1/identities/", { headers });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ identifier: [expect.any(String)] });

    const huge = await sdkRequest("POST", "/api/v1/identities/", {
      headers,
      body: { identifier: "x", traits: [{ trait_key: "blob", trait_value: "x".repeat(300_000) }] },
    });
    expect(huge.status).toBe(413);
    expect(huge.body).toEqual({ detail: expect.any(String) });
  });
});

describe("Flagsmith SDK API: environment document", () => {
  it("needs a live server-side key, and answers 304 to ETag and If-Modified-Since", async () => {
    const { apiKey, development, project } = await setUp();
    const clientKeyAnswer = await sdkRequest("GET", "/api/v1/environment-document/", {
      headers: envHeaders(development.api_key),
    });
    expect(clientKeyAnswer.status).toBe(403);
    expect(clientKeyAnswer.body).toEqual({ detail: expect.any(String) });

    const serverKey = await createServerKey(apiKey, development.api_key);
    const res = await sdkRequest("GET", "/api/v1/environment-document/", {
      headers: envHeaders(serverKey.key),
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: development.id,
      api_key: development.api_key,
      project: {
        id: project.id,
        name: project.name,
        hide_disabled_flags: false,
        organisation: { id: expect.any(Number), name: expect.any(String) },
        segments: [{ name: "pro users", feature_states: [{ feature: { name: "new_checkout" } }] }],
      },
      feature_states: expect.arrayContaining([
        expect.objectContaining({ feature: expect.objectContaining({ name: "banner" }), enabled: true }),
      ]),
    });
    const etag = res.headers.get("etag")!;
    const lastModified = res.headers.get("last-modified")!;
    expect(
      (
        await sdkRequest("GET", "/api/v1/environment-document/", {
          headers: { ...envHeaders(serverKey.key), "if-none-match": etag },
        })
      ).status,
    ).toBe(304);
    expect(
      (
        await sdkRequest("GET", "/api/v1/environment-document/", {
          headers: { ...envHeaders(serverKey.key), "if-modified-since": lastModified },
        })
      ).status,
    ).toBe(304);

    // Revoked: 401 from then on.
    expectStatus(
      await call(serverKeyRoute.DELETE, "DELETE", "/", {
        apiKey,
        params: { envApiKey: development.api_key, keyId: serverKey.id },
      }),
      204,
    );
    await eventually(async () =>
      expect(
        (await sdkRequest("GET", "/api/v1/environment-document/", { headers: envHeaders(serverKey.key) }))
          .status,
      ).toBe(401),
    );
  });

  it("lets flagsmith-nodejs evaluate locally exactly as the server does, identity overrides included", async () => {
    const { apiKey, development, project } = await setUp();
    const serverKey = await createServerKey(apiKey, development.api_key);
    const grace = expectStatus(
      await call(identitiesAdminRoute.POST, "POST", "/", {
        apiKey,
        params: { envApiKey: development.api_key },
        body: { identifier: "grace" },
      }),
      201,
    );
    const banner = await prisma.feature.findFirstOrThrow({
      where: { name: "banner", projectId: project.id },
    });
    expectStatus(
      await call(identityOverridesRoute.POST, "POST", "/", {
        apiKey,
        params: { envApiKey: development.api_key, identityId: grace.id },
        body: { feature: banner.id, enabled: false, feature_state_value: "just for grace" },
      }),
      201,
    );

    const local = new Flagsmith({
      environmentKey: serverKey.key,
      apiUrl: SDK_API_URL,
      enableLocalEvaluation: true,
      environmentRefreshIntervalSeconds: 3600,
      fetch: routeFetch as never,
    });
    const remote = new Flagsmith({
      environmentKey: development.api_key,
      apiUrl: SDK_API_URL,
      fetch: routeFetch as never,
    });
    try {
      for (const [identifier, traits] of [
        ["grace", {}],
        ["ada", { plan: "pro" }],
        ["bob", { plan: "free", age: 20 }],
      ] as const) {
        const [mine, theirs] = await Promise.all([
          remote.getIdentityFlags(identifier, { ...traits }),
          local.getIdentityFlags(identifier, { ...traits }),
        ]);
        for (const name of ["banner", "new_checkout"]) {
          expect([
            identifier,
            name,
            theirs.isFeatureEnabled(name),
            theirs.getFeatureValue(name) ?? null,
          ]).toEqual([identifier, name, mine.isFeatureEnabled(name), mine.getFeatureValue(name) ?? null]);
        }
      }
      const graceFlags = await local.getIdentityFlags("grace");
      expect(graceFlags.getFeatureValue("banner")).toBe("just for grace");
      const environmentFlags = await local.getEnvironmentFlags();
      expect(environmentFlags.getFeatureValue("banner")).toBe("hello");
    } finally {
      await local.close();
      await remote.close();
    }
  });
});

describe("OFREP", () => {
  const ofrep = (path: string, key: string | null, body: unknown, headers: Record<string, string> = {}) =>
    sdkRequest("POST", `/ofrep/v1/evaluate/flags${path}`, {
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
      body,
    });

  it("evaluates one flag and all flags, with the context's targetingKey as the identity", async () => {
    const { development } = await setUp();
    const key = development.api_key;
    expect((await ofrep("/banner", key, {})).body).toEqual({
      key: "banner",
      value: "hello",
      reason: "DEFAULT",
      metadata: { enabled: true, featureId: expect.any(Number) },
    });
    expect(
      (await ofrep("/new_checkout", key, { context: { targetingKey: "ada", plan: "pro" } })).body,
    ).toMatchObject({
      key: "new_checkout",
      value: "pro",
      reason: "TARGETING_MATCH",
    });
    // A flag without a value answers its enabled state, a disabled one says so.
    expect((await ofrep("/new_checkout", key, { context: { targetingKey: "bob" } })).body).toMatchObject({
      value: false,
      reason: "DISABLED",
    });
    // X-API-Key works too.
    expect((await ofrep("/banner", null, {}, { "x-api-key": key })).status).toBe(200);

    const bulk = await ofrep("", key, { context: { targetingKey: "ada", plan: "pro" } });
    expect(bulk.status).toBe(200);
    expect(bulk.body.flags).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: "banner", value: "hello" }),
        expect.objectContaining({ key: "new_checkout", value: "pro", reason: "TARGETING_MATCH" }),
      ]),
    );
    const etag = bulk.headers.get("etag")!;
    const cached = await ofrep(
      "",
      key,
      { context: { targetingKey: "ada", plan: "pro" } },
      { "if-none-match": etag },
    );
    expect(cached.status).toBe(304);
    const changed = await ofrep(
      "",
      key,
      { context: { targetingKey: "ada", plan: "free" } },
      { "if-none-match": etag },
    );
    expect(changed.status).toBe(200);

    // Context traits are never stored.
    await traitWriter(currentDatabase()).flush();
    expect(await prisma.identity.count({ where: { identifier: "ada", environmentId: development.id } })).toBe(
      0,
    );
  });

  it("answers the protocol's error codes and statuses, never a 500", async () => {
    const { development } = await setUp();
    const key = development.api_key;
    expect(await ofrep("/nope", key, {})).toMatchObject({
      status: 404,
      body: { key: "nope", errorCode: "FLAG_NOT_FOUND", errorDetails: expect.any(String) },
    });
    for (const path of ["/a/b", `/${encodeURIComponent("drapeau-ünïcødé-🚩")}`, `/${"x".repeat(3000)}`]) {
      const res = await ofrep(path, key, {});
      expect(res.status).toBe(404);
      expect(res.body.errorCode).toBe("FLAG_NOT_FOUND");
    }
    expect(await ofrep("/banner", key, { context: { plan: "pro" } })).toMatchObject({
      status: 400,
      body: { key: "banner", errorCode: "TARGETING_KEY_MISSING" },
    });
    expect(await ofrep("/banner", key, { context: { targetingKey: "a", nested: { x: 1 } } })).toMatchObject({
      status: 400,
      body: { errorCode: "INVALID_CONTEXT" },
    });
    expect(await ofrep("/banner", key, { context: "a string" })).toMatchObject({
      status: 400,
      body: { errorCode: "INVALID_CONTEXT" },
    });
    const thousand = Object.fromEntries(Array.from({ length: 1000 }, (_, index) => [`t${index}`, index]));
    expect(await ofrep("", key, { context: { targetingKey: "a", ...thousand } })).toMatchObject({
      status: 400,
      body: { errorCode: "INVALID_CONTEXT" },
    });
    const big = await ofrep("/banner", key, { context: { targetingKey: "a", blob: "x".repeat(70 * 1024) } });
    expect(big.status).toBe(400);
    expect(big.body.errorCode).toBe("INVALID_CONTEXT");
    const malformed = await sdkRequest("POST", "/ofrep/v1/evaluate/flags", {
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      rawBody: "{oops",
    });
    expect(malformed).toMatchObject({ status: 400, body: { errorCode: "PARSE_ERROR" } });
    const wrongType = await sdkRequest("POST", "/ofrep/v1/evaluate/flags/banner", {
      headers: { authorization: `Bearer ${key}`, "content-type": "text/plain" },
      rawBody: "{}",
    });
    expect(wrongType).toMatchObject({ status: 400, body: { errorCode: "PARSE_ERROR" } });
    expect((await ofrep("/banner", null, {})).status).toBe(401);
    expect((await ofrep("/banner", "wrong", {})).status).toBe(401);
    expect((await ofrep("", "wrong", {})).status).toBe(401);

    // The snapshot is unharmed by all of that.
    expect((await ofrep("/banner", key, {})).body.value).toBe("hello");
  });

  it("limits each key's rate with 429 and Retry-After", async () => {
    const { development, production } = await setUp();
    process.env.FLAGPOST_SDK_RATE_LIMIT = "2";
    resetEnvForTests();
    resetSdkRateLimits();
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 8; i++) {
      const res = await ofrep("/banner", development.api_key, {});
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get("retry-after");
    }
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    // Per key: another environment's key is not affected.
    expect((await ofrep("/banner", production.api_key, {})).status).toBe(200);
  });

  it("works with the OpenFeature server SDK's OFREP provider", async () => {
    const { development } = await setUp();
    const provider = new OFREPProvider({
      baseUrl: BASE_URL,
      headers: [["Authorization", `Bearer ${development.api_key}`]],
      fetchImplementation: routeFetch as typeof fetch,
    });
    await OpenFeature.setProviderAndWait(`sdk-test-${development.id}`, provider);
    const client = OpenFeature.getClient(`sdk-test-${development.id}`);
    expect(await client.getStringValue("banner", "default")).toBe("hello");
    expect(await client.getStringValue("new_checkout", "x", { targetingKey: "ada", plan: "pro" })).toBe(
      "pro",
    );
    const missing = await client.getBooleanDetails("no_such_flag", true);
    expect(missing).toMatchObject({ value: true, errorCode: "FLAG_NOT_FOUND" });
    expect(await client.getBooleanValue("new_checkout", true, { targetingKey: "bob" })).toBe(false);
  });
});

describe("snapshot store", () => {
  it("drops a project's snapshots when one of its changes commits, not when it rolls back", async () => {
    const { apiKey, development, project, banner } = await setUp();
    const store = snapshotStore();
    const ref = (await store.resolveKey(development.api_key))!;
    const before = await store.snapshot(ref);
    expect(await store.snapshot(ref)).toBe(before);
    const invalidated: Array<number | null> = [];
    store.onInvalidate = (projectId) => invalidated.push(projectId);
    try {
      // An audited change that rolls back announces nothing…
      await prisma
        .$transaction(async (tx) => {
          await recordAudit(
            tx,
            { kind: "system", label: "test" },
            {
              organisationId: project.organisation,
              projectId: project.id,
              action: "UPDATE",
              entityType: "segment",
              entityId: 1,
              summary: "rolled back",
            },
          );
          throw new Error("roll back");
        })
        .catch(() => undefined);
      // …one that commits does (notifications arrive in commit order, so one is all there is).
      await setFeatureState(apiKey, development.api_key, banner.id, { enabled: false });
      await eventually(async () => expect(invalidated).toEqual([project.id]));
      expect(await store.snapshot(ref)).not.toBe(before);
    } finally {
      store.onInvalidate = null;
    }
  });
});
