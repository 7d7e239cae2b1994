import { OFREPProvider } from "@openfeature/ofrep-provider";
import { OpenFeature } from "@openfeature/server-sdk";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { createFlagsmithInstance } from "flagsmith";
import { Flagsmith } from "flagsmith-nodejs";
import { uniqueName } from "./support/constants";

// Real, independently written SDK clients against the production build: flagsmith-nodejs (remote
// and local evaluation), the `flagsmith` JavaScript client and OpenFeature's server SDK with the
// OFREP provider. The flags are set up through the admin API as the signed-in administrator (what
// the UI does); the clients see them, and see a toggle within their polling interval.

test.describe.configure({ mode: "serial" });

interface Setup {
  projectId: number;
  envApiKey: string;
  serverKey: string;
  bannerId: number;
  checkoutId: number;
}

let setup: Setup;
let apiUrl: string;

async function setFeatureState(request: APIRequestContext, origin: string, featureId: number, body: object) {
  const states = (await (
    await request.get(`/api/v1/environments/${setup.envApiKey}/featurestates/?feature=${featureId}`)
  ).json()) as { results: Array<{ id: number; feature: number }> };
  const state = states.results.find((row) => row.feature === featureId)!;
  const res = await request.patch(`/api/v1/environments/${setup.envApiKey}/featurestates/${state.id}/`, {
    data: body,
    headers: { origin },
  });
  expect(res.status(), await res.text()).toBe(200);
}

test.beforeAll(async ({ browser, baseURL }) => {
  apiUrl = `${baseURL}/api/v1/`;
  const context = await browser.newContext({ storageState: "test-results/.auth/admin.json", baseURL });
  const request = context.request;
  const headers = { origin: baseURL! };
  const project = await request.post("/api/v1/projects/", {
    data: { name: uniqueName("SDK") },
    headers,
  });
  expect(project.status(), await project.text()).toBe(201);
  const projectId = ((await project.json()) as { id: number }).id;
  const environment = await request.post("/api/v1/environments/", {
    data: { name: "Development", project: projectId },
    headers,
  });
  expect(environment.status(), await environment.text()).toBe(201);
  const envApiKey = ((await environment.json()) as { api_key: string }).api_key;
  const banner = await request.post(`/api/v1/projects/${projectId}/features/`, {
    data: { name: "banner", initial_value: "hello", default_enabled: true },
    headers,
  });
  const checkout = await request.post(`/api/v1/projects/${projectId}/features/`, {
    data: { name: "new_checkout" },
    headers,
  });
  const segment = await request.post(`/api/v1/projects/${projectId}/segments/`, {
    data: {
      name: "pro users",
      rules: [
        {
          type: "ALL",
          rules: [{ type: "ANY", conditions: [{ property: "plan", operator: "EQUAL", value: "pro" }] }],
        },
      ],
    },
    headers,
  });
  expect(segment.status(), await segment.text()).toBe(201);
  const checkoutId = ((await checkout.json()) as { id: number }).id;
  const override = await request.post(
    `/api/v1/projects/${projectId}/features/${checkoutId}/segment-overrides/`,
    {
      data: {
        environment: ((await environment.json()) as { id: number }).id,
        segment: ((await segment.json()) as { id: number }).id,
        enabled: true,
        feature_state_value: "pro",
      },
      headers,
    },
  );
  expect(override.status(), await override.text()).toBe(201);
  const serverKey = await request.post(`/api/v1/environments/${envApiKey}/api-keys/`, {
    data: { name: "e2e backend" },
    headers,
  });
  expect(serverKey.status(), await serverKey.text()).toBe(201);
  setup = {
    projectId,
    envApiKey,
    serverKey: ((await serverKey.json()) as { key: string }).key,
    bannerId: ((await banner.json()) as { id: number }).id,
    checkoutId,
  };
  await context.close();
});

test("flagsmith-nodejs (remote evaluation) reads flags and identities, and sees a toggle", async ({
  request,
  baseURL,
}) => {
  const flagsmith = new Flagsmith({ environmentKey: setup.envApiKey, apiUrl });
  try {
    const flags = await flagsmith.getEnvironmentFlags();
    expect(flags.isFeatureEnabled("banner")).toBe(true);
    expect(flags.getFeatureValue("banner")).toBe("hello");
    expect(flags.isFeatureEnabled("new_checkout")).toBe(false);

    const pro = await flagsmith.getIdentityFlags("ada", { plan: "pro" });
    expect(pro.isFeatureEnabled("new_checkout")).toBe(true);
    expect(pro.getFeatureValue("new_checkout")).toBe("pro");
    // The trait was stored (in the background, within about a second): a later call without traits
    // still matches the segment, as with Flagsmith.
    await expect
      .poll(async () => (await flagsmith.getIdentityFlags("ada")).getFeatureValue("new_checkout"), {
        timeout: 5_000,
      })
      .toBe("pro");
    // Transient traits are used, not kept.
    const transient = await flagsmith.getIdentityFlags("bob", { plan: { value: "pro", transient: true } });
    expect(transient.getFeatureValue("new_checkout")).toBe("pro");
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await flagsmith.getIdentityFlags("bob")).isFeatureEnabled("new_checkout")).toBe(false);

    await setFeatureState(request, baseURL!, setup.bannerId, { enabled: false });
    await expect
      .poll(async () => (await flagsmith.getEnvironmentFlags()).isFeatureEnabled("banner"), {
        timeout: 2_000,
      })
      .toBe(false);
    await setFeatureState(request, baseURL!, setup.bannerId, { enabled: true });
  } finally {
    await flagsmith.close();
  }
});

test("flagsmith-nodejs (local evaluation) works from the environment document and follows a toggle", async ({
  request,
  baseURL,
}) => {
  const flagsmith = new Flagsmith({
    environmentKey: setup.serverKey,
    apiUrl,
    enableLocalEvaluation: true,
    environmentRefreshIntervalSeconds: 1,
  });
  try {
    const flags = await flagsmith.getEnvironmentFlags();
    expect(flags.getFeatureValue("banner")).toBe("hello");
    const pro = await flagsmith.getIdentityFlags("carol", { plan: "pro" });
    expect(pro.getFeatureValue("new_checkout")).toBe("pro");
    const free = await flagsmith.getIdentityFlags("dave", { plan: "free" });
    expect(free.isFeatureEnabled("new_checkout")).toBe(false);
    expect((await flagsmith.getIdentitySegments("carol", { plan: "pro" })).map((s) => s.name)).toEqual([
      "pro users",
    ]);

    await setFeatureState(request, baseURL!, setup.bannerId, { feature_state_value: "changed" });
    // Polling every second: seen within a couple of intervals.
    await expect
      .poll(async () => (await flagsmith.getEnvironmentFlags()).getFeatureValue("banner"), { timeout: 4_000 })
      .toBe("changed");
    await setFeatureState(request, baseURL!, setup.bannerId, { feature_state_value: "hello" });
  } finally {
    await flagsmith.close();
  }

  // A client-side key may not read the document; a wrong one is refused.
  const asClient = await fetch(`${apiUrl}environment-document/`, {
    headers: { "X-Environment-Key": setup.envApiKey },
  });
  expect(asClient.status).toBe(403);
  const wrong = await fetch(`${apiUrl}flags/`, { headers: { "X-Environment-Key": "wrong" } });
  expect(wrong.status).toBe(401);
  expect(await wrong.json()).toEqual({ detail: expect.any(String) });
});

test("the flagsmith JavaScript client reads flags, identifies, and picks up a toggle while listening", async ({
  request,
  baseURL,
}) => {
  const flagsmith = createFlagsmithInstance();
  await flagsmith.init({
    environmentID: setup.envApiKey,
    api: apiUrl,
    cacheFlags: false,
    // In Node.js (no XMLHttpRequest) the client is handed the platform's fetch, as its docs say.
    fetch: globalThis.fetch,
    enableAnalytics: false,
  });
  expect(flagsmith.hasFeature("banner")).toBe(true);
  expect(flagsmith.getValue("banner")).toBe("hello");

  await flagsmith.identify("erin", { plan: "pro" });
  expect(flagsmith.getValue("new_checkout")).toBe("pro");
  expect(flagsmith.getTrait("plan")).toBe("pro");

  flagsmith.startListening(1_000);
  try {
    // Identified as erin, the client re-reads her flags every second.
    await setFeatureState(request, baseURL!, setup.bannerId, { enabled: false });
    await expect.poll(() => flagsmith.hasFeature("banner"), { timeout: 4_000 }).toBe(false);
    await setFeatureState(request, baseURL!, setup.bannerId, { enabled: true });
  } finally {
    flagsmith.stopListening();
  }
});

test("OpenFeature's OFREP provider evaluates flags and gets the spec's error codes", async ({ baseURL }) => {
  const provider = new OFREPProvider({
    baseUrl: baseURL!,
    headers: [["Authorization", `Bearer ${setup.envApiKey}`]],
  });
  await OpenFeature.setProviderAndWait("e2e", provider);
  const client = OpenFeature.getClient("e2e");
  expect(await client.getStringValue("banner", "default")).toBe("hello");
  expect(await client.getStringValue("new_checkout", "none", { targetingKey: "fay", plan: "pro" })).toBe(
    "pro",
  );
  const missing = await client.getStringDetails("no_such_flag", "fallback");
  expect(missing).toMatchObject({ value: "fallback", errorCode: "FLAG_NOT_FOUND" });
  const noTarget = await client.getStringDetails("banner", "fallback", { plan: "pro" });
  expect(noTarget).toMatchObject({ value: "fallback", errorCode: "TARGETING_KEY_MISSING" });

  // The protocol's bulk endpoint with its ETag, and its 401 for a wrong key.
  const bulk = await fetch(`${baseURL}/ofrep/v1/evaluate/flags`, {
    method: "POST",
    headers: { authorization: `Bearer ${setup.envApiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ context: {} }),
  });
  expect(bulk.status).toBe(200);
  const etag = bulk.headers.get("etag")!;
  const again = await fetch(`${baseURL}/ofrep/v1/evaluate/flags`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${setup.envApiKey}`,
      "content-type": "application/json",
      "if-none-match": etag,
    },
    body: JSON.stringify({ context: {} }),
  });
  expect(again.status).toBe(304);
  const unauthorised = await fetch(`${baseURL}/ofrep/v1/evaluate/flags/banner`, {
    method: "POST",
    headers: { authorization: "Bearer wrong", "content-type": "application/json" },
    body: "{}",
  });
  expect(unauthorised.status).toBe(401);
  const slashes = await fetch(`${baseURL}/ofrep/v1/evaluate/flags/a/b`, {
    method: "POST",
    headers: { authorization: `Bearer ${setup.envApiKey}`, "content-type": "application/json" },
    body: "{}",
  });
  expect(slashes.status).toBe(404);
  expect(await slashes.json()).toMatchObject({ errorCode: "FLAG_NOT_FOUND" });
  await OpenFeature.close();
});
