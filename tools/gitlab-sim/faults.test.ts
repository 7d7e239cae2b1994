import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEMO_TOKENS, type DemoSeed } from "./seed";
import { type GitLabSimulator, startGitLabSimulator } from "./server";
import { api } from "./test-helpers";

let gl: GitLabSimulator;
let seed: DemoSeed;
const T = DEMO_TOKENS;

beforeAll(async () => {
  gl = await startGitLabSimulator({ port: 0 });
  seed = gl.sim.seedDemo();
});
afterEach(() => gl.sim.clearFaults());
afterAll(() => gl.close());

describe("fault injection", () => {
  it("answers a Rack::Attack 429: plain text, Retry-After and RateLimit headers", async () => {
    gl.sim.injectFault({ status: 429, retryAfter: 7 });
    const r = await api(gl.url, "/user", { token: T.maintainer });
    expect(r.status).toBe(429);
    expect(r.text).toBe("Retry later\n");
    expect(r.headers.get("content-type")).toBe("text/plain");
    expect(r.headers.get("retry-after")).toBe("7");
    expect(r.headers.get("ratelimit-name")).toBe("throttle_authenticated_api");
    expect(r.headers.get("ratelimit-remaining")).toBe("0");
    for (const h of ["ratelimit-limit", "ratelimit-observed", "ratelimit-reset", "ratelimit-resettime"]) {
      expect(r.headers.get(h)).toBeTruthy();
    }
    expect(Number(r.headers.get("ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000);
    // count defaults to 1
    expect((await api(gl.url, "/user", { token: T.maintainer })).status).toBe(200);
  });

  it("answers an application-level 429 as JSON without RateLimit headers", async () => {
    gl.sim.injectFault({ status: 429, body: "application", method: "POST", pathPattern: "/notes$" });
    expect(
      (await api(gl.url, `/projects/${seed.projectId}/issues/1/notes`, { token: T.maintainer })).status,
    ).toBe(200);
    const r = await api(gl.url, `/projects/${seed.projectId}/issues/1/notes`, {
      token: T.maintainer,
      method: "POST",
      json: { body: "x" },
    });
    expect(r.status).toBe(429);
    expect(r.data).toEqual({
      message: { error: "This endpoint has been requested too many times. Try again later." },
    });
    expect(r.headers.get("content-type")).toBe("application/json");
    expect(r.headers.get("ratelimit-limit")).toBeNull();
    expect(r.headers.get("retry-after")).toBeNull();
    expect(gl.sim.notes(seed.projectId, "issue", 1).filter((n) => !n.system)).toHaveLength(0);
  });

  it("injects 5xx a given number of times, then recovers", async () => {
    gl.sim.injectFault({ status: 502, count: 2, pathPattern: "^/projects/\\d+$" });
    const p = `/projects/${seed.projectId}`;
    const a = await api(gl.url, p, { token: T.maintainer });
    const b = await api(gl.url, p, { token: T.maintainer });
    expect([a.status, b.status]).toEqual([502, 502]);
    expect(a.data).toEqual({ message: "502 Bad Gateway" });
    expect((await api(gl.url, "/user", { token: T.maintainer })).status).toBe(200);
    expect((await api(gl.url, p, { token: T.maintainer })).status).toBe(200);
    const log = gl.sim.requests().filter((e) => e.path === p);
    expect(log.map((e) => e.status)).toEqual([502, 502, 200]);
    expect(log[0]).toMatchObject({
      method: "GET",
      fault: "502",
      token: T.maintainer,
      username: seed.botUsernames.maintainer,
    });
  });

  it("adds latency so client timeouts can be tested", async () => {
    gl.sim.setLatency(400, "^/version$");
    const started = Date.now();
    await expect(
      api(gl.url, "/version", { token: T.maintainer, signal: AbortSignal.timeout(100) }),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(350);
    const fast = Date.now();
    expect((await api(gl.url, "/user", { token: T.maintainer })).status).toBe(200);
    expect(Date.now() - fast).toBeLessThan(300);
    const slow = Date.now();
    expect((await api(gl.url, "/version", { token: T.maintainer })).status).toBe(200);
    expect(Date.now() - slow).toBeGreaterThanOrEqual(380);
  });

  it("logs every API request with the token used, and can clear the log", async () => {
    gl.sim.clearRequests();
    await api(
      gl.url,
      `/projects/${encodeURIComponent("acme/platform/flags-demo")}/issues?state=opened&iids[]=1`,
      { token: T.reporter },
    );
    await api(gl.url, "/user", { token: "glpat-unknown" });
    const [first, second] = gl.sim.requests();
    expect(first).toMatchObject({
      method: "GET",
      path: "/projects/acme%2Fplatform%2Fflags-demo/issues",
      query: { state: "opened", "iids[]": "1" },
      status: 200,
      tokenName: "Flagpost reporter",
    });
    expect(second).toMatchObject({ status: 401, token: "glpat-unknown", userId: null });
    gl.sim.clearRequests();
    expect(gl.sim.requests()).toEqual([]);
  });

  it("simulates an outage: 503 on every call, POSTs included, until the fault is removed", async () => {
    const outage = gl.sim.injectFault({ status: 503, count: -1, retryAfter: 30 });
    const other = gl.sim.injectFault({ status: 429, count: 1, pathPattern: "^/never$" });
    for (let i = 0; i < 5; i++) {
      const r = await api(gl.url, `/projects/${seed.projectId}/issues/1/notes`, {
        token: T.maintainer,
        method: i % 2 ? "GET" : "POST",
        json: i % 2 ? undefined : { body: "x" },
      });
      expect([r.status, r.headers.get("retry-after")]).toEqual([503, "30"]);
    }
    expect(gl.sim.notes(seed.projectId, "issue", 1).filter((n) => !n.system)).toHaveLength(0);
    expect(gl.sim.faults()).toEqual([
      expect.objectContaining({ id: outage, status: 503, drop: false, remaining: null, hits: 5 }),
      expect.objectContaining({ id: other, status: 429, remaining: 1, hits: 0 }),
    ]);
    const ended = await fetch(`${gl.url}/_sim/faults/${outage}`, { method: "DELETE" });
    expect(ended.status).toBe(200);
    expect((await api(gl.url, "/user", { token: T.maintainer })).status).toBe(200);
    expect(gl.sim.faults().map((f) => f.id)).toEqual([other]);
    expect((await fetch(`${gl.url}/_sim/faults/${outage}`, { method: "DELETE" })).status).toBe(400);
  });

  it("drops connections without an answer while GitLab is unreachable, and logs them", async () => {
    const res = await fetch(`${gl.url}/_sim/faults`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ drop: true, count: -1 }),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: number };
    gl.sim.clearRequests();
    await expect(api(gl.url, "/user", { token: T.maintainer })).rejects.toThrow();
    await expect(api(gl.url, `/projects/${seed.projectId}`, { token: T.maintainer })).rejects.toThrow();
    expect(gl.sim.requests().map((e) => [e.path, e.status, e.fault])).toEqual([
      ["/user", 0, "drop"],
      [`/projects/${seed.projectId}`, 0, "drop"],
    ]);
    // The control API stays reachable during the outage.
    expect((await fetch(`${gl.url}/_sim/faults`)).status).toBe(200);
    gl.sim.removeFault(id);
    expect((await api(gl.url, "/user", { token: T.maintainer })).status).toBe(200);
    const invalid = await fetch(`${gl.url}/_sim/faults`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ count: -1 }),
    });
    expect(invalid.status).toBe(400);
  });

  it("slows every API call by N ms when no path is given, until set back to 0", async () => {
    gl.sim.setLatency(250);
    for (const path of ["/user", `/projects/${seed.projectId}`]) {
      const started = Date.now();
      expect((await api(gl.url, path, { token: T.maintainer })).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    }
    gl.sim.setLatency(0);
    const fast = Date.now();
    await api(gl.url, "/user", { token: T.maintainer });
    expect(Date.now() - fast).toBeLessThan(200);
  });
});
