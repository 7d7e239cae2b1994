import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { paginate } from "./pagination";
import {
  DEMO_PRIVATE_PROJECT_PATH,
  DEMO_PROJECT_PATH,
  DEMO_SEARCH_ONLY_PROJECT_PATH,
  DEMO_TOKENS,
  type DemoSeed,
} from "./seed";
import { type GitLabSimulator, startGitLabSimulator } from "./server";
import { api } from "./test-helpers";

let gl: GitLabSimulator;
let seed: DemoSeed;
const T = DEMO_TOKENS;

beforeAll(async () => {
  gl = await startGitLabSimulator({ port: 0 });
  seed = gl.sim.seedDemo();
});
afterAll(() => gl.close());

describe("authentication", () => {
  it("answers 401 `401 Unauthorized` without a token and with an unknown token", async () => {
    for (const token of [undefined, "glpat-nope"]) {
      const r = await api(gl.url, "/user", { token });
      expect(r.status).toBe(401);
      expect(r.data).toEqual({ message: "401 Unauthorized" });
      expect(r.headers.get("content-type")).toBe("application/json");
    }
  });

  it("accepts PRIVATE-TOKEN, Bearer and ?private_token=, and /user shows the bot", async () => {
    const a = await api(gl.url, "/user", { token: T.maintainer });
    const b = await api(gl.url, "/user", { headers: { Authorization: `Bearer ${T.maintainer}` } });
    const c = await api(gl.url, `/user?private_token=${T.maintainer}`);
    for (const r of [a, b, c]) {
      expect(r.status).toBe(200);
      expect(r.data.username).toBe(seed.botUsernames.maintainer);
    }
    expect(a.data.bot).toBe(true);
    expect(a.data.username).toMatch(/^group_\d+_bot_[0-9a-f]{32}$/);
    expect(a.data.email).toMatch(/@noreply\.127\.0\.0\.1$/);
    expect(a.data.name).toBe("Flagpost");
  });

  it("rejects an expired token with invalid_token and WWW-Authenticate", async () => {
    const r = await api(gl.url, "/user", { token: T.expired });
    expect(r.status).toBe(401);
    expect(r.data).toEqual({
      error: "invalid_token",
      error_description: "Token is expired. You can either do re-authorization or token refresh.",
    });
    expect(r.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("rejects a revoked token", async () => {
    gl.sim.createToken({
      value: "glpat-to-revoke",
      name: "tmp",
      scopes: ["api"],
      projects: [{ id: seed.projectId, access_level: 30 }],
    });
    expect((await api(gl.url, "/user", { token: "glpat-to-revoke" })).status).toBe(200);
    gl.sim.revokeToken("glpat-to-revoke");
    const r = await api(gl.url, "/user", { token: "glpat-to-revoke" });
    expect(r.status).toBe(401);
    expect(r.data).toEqual({
      error: "invalid_token",
      error_description: "Token was revoked. You have to re-authorize from the user.",
    });
    expect(r.headers.get("www-authenticate")).toBeTruthy();
  });

  it("answers 403 insufficient_scope for a read_api token on writes, but lets it read", async () => {
    const r = await api(gl.url, `/projects/${seed.projectId}/issues`, {
      token: T.readonly,
      method: "POST",
      json: { title: "x" },
    });
    expect(r.status).toBe(403);
    expect(r.data).toEqual({
      error: "insufficient_scope",
      error_description: "The request requires higher privileges than provided by the access token.",
      scope: "api",
    });
    expect((await api(gl.url, `/projects/${seed.projectId}/issues`, { token: T.readonly })).status).toBe(200);
  });

  it("describes the token at /personal_access_tokens/self, and 404s there before GitLab 15.5", async () => {
    const r = await api(gl.url, "/personal_access_tokens/self", { token: T.readonly });
    expect(r.status).toBe(200);
    expect(r.data).toMatchObject({
      name: "Flagpost read-only",
      revoked: false,
      active: true,
      scopes: ["read_api"],
    });
    expect(Object.keys(r.data).sort()).toEqual(
      [
        "id",
        "name",
        "revoked",
        "created_at",
        "description",
        "scopes",
        "user_id",
        "last_used_at",
        "active",
        "expires_at",
      ].sort(),
    );
    expect(r.data.expires_at).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    gl.sim.setVersion("15.4.0");
    try {
      const old = await api(gl.url, "/personal_access_tokens/self", { token: T.readonly });
      expect(old.status).toBe(404);
      expect(old.data).toEqual({ error: "404 Not Found" });
      expect((await api(gl.url, "/version", { token: T.readonly })).data.version).toBe("15.4.0");
    } finally {
      gl.sim.setVersion("18.6.0");
    }
  });
});

describe("projects", () => {
  it("finds a project by URL-encoded full path, case-insensitively, with permissions", async () => {
    const r = await api(gl.url, `/projects/${encodeURIComponent("ACME/Platform/Flags-Demo")}`, {
      token: T.maintainer,
    });
    expect(r.status).toBe(200);
    expect(r.data.id).toBe(seed.projectId);
    expect(r.data.path_with_namespace).toBe(DEMO_PROJECT_PATH);
    expect(r.data.web_url).toBe(`${gl.url}/${DEMO_PROJECT_PATH}`);
    expect(r.data.namespace).toMatchObject({ full_path: "acme/platform", kind: "group" });
    expect(r.data.permissions).toEqual({
      project_access: null,
      group_access: { access_level: 40, notification_level: 3 },
    });
    const reporter = await api(gl.url, `/projects/${seed.projectId}`, { token: T.reporter });
    expect(reporter.data.permissions.project_access).toEqual({ access_level: 20, notification_level: 3 });
  });

  it("does not match an unencoded path (route 404)", async () => {
    const r = await api(gl.url, `/projects/${DEMO_PROJECT_PATH}`, { token: T.maintainer });
    expect(r.status).toBe(404);
    expect(r.data).toEqual({ error: "404 Not Found" });
  });

  it("hides private projects the token cannot see (404 Project Not Found)", async () => {
    for (const ref of [
      String(seed.privateProjectId),
      encodeURIComponent(DEMO_PRIVATE_PROJECT_PATH),
      "999999",
    ]) {
      const r = await api(gl.url, `/projects/${ref}`, { token: T.maintainer });
      expect(r.status).toBe(404);
      expect(r.data).toEqual({ message: "404 Project Not Found" });
    }
    const issues = await api(gl.url, `/projects/${seed.privateProjectId}/issues`, { token: T.maintainer });
    expect(issues.data).toEqual({ message: "404 Project Not Found" });
  });

  it("answers 405 and unknown routes like Grape", async () => {
    const r = await api(gl.url, `/projects/${seed.projectId}`, { token: T.maintainer, method: "DELETE" });
    expect(r.status).toBe(405);
    expect(r.data).toEqual({ message: "405 Method Not Allowed" });
    const u = await api(gl.url, "/nope", { token: T.maintainer });
    expect(u.status).toBe(404);
    expect(u.data).toEqual({ error: "404 Not Found" });
  });

  it("paginates with x-* headers and a Link header preserving other params", async () => {
    const first = await api(gl.url, "/projects?membership=true&simple=true", { token: T.maintainer });
    expect(first.status).toBe(200);
    expect(first.data).toHaveLength(20);
    expect(first.headers.get("x-page")).toBe("1");
    expect(first.headers.get("x-per-page")).toBe("20");
    expect(first.headers.get("x-next-page")).toBe("2");
    expect(first.headers.get("x-prev-page")).toBe("");
    expect(first.headers.get("x-total")).toBe(String(seed.acmeProjectCount));
    expect(first.headers.get("x-total-pages")).toBe("2");
    const link = first.headers.get("link") ?? "";
    expect(link).toContain(
      `<${gl.url}/api/v4/projects?membership=true&page=2&per_page=20&simple=true>; rel="next"`,
    );
    expect(link).toContain('rel="first"');
    expect(link).toContain('rel="last"');
    expect(link).not.toContain('rel="prev"');
    // Simple representation has no permissions; newest first.
    expect(first.data[0].path_with_namespace).toBe(DEMO_PROJECT_PATH);
    expect(first.data[0].permissions).toBeUndefined();

    const last = await api(gl.url, "/projects?membership=true&simple=true&page=2", { token: T.maintainer });
    expect(last.headers.get("x-next-page")).toBe("");
    expect(last.headers.get("x-prev-page")).toBe("1");
    expect(last.data.map((p: { path_with_namespace: string }) => p.path_with_namespace)).toContain(
      DEMO_SEARCH_ONLY_PROJECT_PATH,
    );
    expect(last.headers.get("link")).toContain('rel="prev"');
    expect(last.headers.get("link")).not.toContain('rel="next"');

    const clamped = await api(gl.url, "/projects?membership=true&per_page=500", { token: T.maintainer });
    expect(clamped.headers.get("x-per-page")).toBe("100");
    expect(clamped.data).toHaveLength(seed.acmeProjectCount);
  });

  it("omits totals and rel=last above 10,000 records", () => {
    const items = Array.from({ length: 10_001 }, (_, i) => i);
    const page = paginate(
      { baseUrl: "http://x/api/v4/projects", rawQuery: "page=3", params: { page: "3" } },
      items,
    );
    expect(page.items[0]).toBe(40);
    expect(page.headers["X-Total"]).toBeUndefined();
    expect(page.headers["X-Total-Pages"]).toBeUndefined();
    expect(page.headers.Link).not.toContain('rel="last"');
    expect(page.headers.Link).toContain('rel="next"');
  });

  it("searches with GitLab's 3-character rule and search_namespaces", async () => {
    const find = async (q: string) =>
      (await api(gl.url, `/projects?membership=true&simple=true&${q}`, { token: T.maintainer })).data.map(
        (p: { path_with_namespace: string }) => p.path_with_namespace,
      );
    expect(await find("search=checkout")).toEqual([DEMO_SEARCH_ONLY_PROJECT_PATH]);
    expect(await find("search=CHECKOUT%20serv")).toEqual([DEMO_SEARCH_ONLY_PROJECT_PATH]);
    expect(await find("search=ch")).toEqual([]); // short terms match exactly
    expect(await find("search=billing%2Fcheckout")).toEqual([]);
    expect(await find("search=billing%2Fcheckout&search_namespaces=true")).toEqual([
      DEMO_SEARCH_ONLY_PROJECT_PATH,
    ]);
  });

  it("lists public projects without membership, and only member projects with it", async () => {
    const all = await api(gl.url, "/projects?simple=true&per_page=100", { token: T.reporter });
    const paths = all.data.map((p: { path_with_namespace: string }) => p.path_with_namespace);
    expect(paths).toContain("oss/public-sandbox");
    expect(paths).toContain(DEMO_PROJECT_PATH);
    expect(paths).not.toContain(DEMO_PRIVATE_PROJECT_PATH);
    const mine = await api(gl.url, "/projects?membership=true", { token: T.reporter });
    expect(mine.data.map((p: { id: number }) => p.id)).toEqual([seed.projectId]);
    const anon = await api(gl.url, "/projects");
    expect(anon.data.map((p: { path_with_namespace: string }) => p.path_with_namespace)).toEqual([
      "oss/public-sandbox",
    ]);
  });

  it("serves everything under a base path for self-managed instances", async () => {
    const sub = await startGitLabSimulator({ port: 0, basePath: "/gitlab/" });
    try {
      expect(sub.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/gitlab$/);
      const s = sub.sim.seedDemo();
      const r = await api(sub.url, `/projects/${encodeURIComponent(DEMO_PROJECT_PATH)}`, {
        token: T.maintainer,
      });
      expect(r.status).toBe(200);
      expect(r.data.web_url).toBe(`${sub.url}/${DEMO_PROJECT_PATH}`);
      const issues = await api(sub.url, `/projects/${s.projectId}/issues?per_page=2`, {
        token: T.maintainer,
      });
      expect(issues.headers.get("link")).toContain(
        `<${sub.url}/api/v4/projects/${s.projectId}/issues?page=2&per_page=2>`,
      );
      const outside = await fetch(`${sub.url.replace("/gitlab", "")}/api/v4/version`);
      expect(outside.status).toBe(404);
      const health = await fetch(`${sub.url}/_sim/health`);
      expect(health.status).toBe(200);
    } finally {
      await sub.close();
    }
  });
});
