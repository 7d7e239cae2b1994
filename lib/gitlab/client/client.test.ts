import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEMO_SEARCH_ONLY_PROJECT_PATH, DEMO_TOKENS, type DemoSeed } from "@/tools/gitlab-sim/seed";
import { startGitLabSimulator, type GitLabSimulator } from "@/tools/gitlab-sim/server";
import { resetEnvForTests } from "@/lib/env";
import {
  ACCESS_LEVEL,
  gitlabClient,
  gitlabClientForIntegration,
  pageInfoFromHeaders,
} from "@/lib/gitlab/client/client";
import { encryptSecret } from "@/lib/crypto/secret-box";
import { GitLabApiError, GitLabUnreachableError } from "@/lib/gitlab/client/errors";

// The client against the GitLab simulator: mapping, pagination, rate limits, failures.

let gl: GitLabSimulator;
let seed: DemoSeed;
const client = (token: string = DEMO_TOKENS.maintainer, timeoutMs?: number) =>
  gitlabClient({ instanceUrl: gl.url, token }, { timeoutMs });

beforeAll(async () => {
  process.env.GITLAB_ALLOW_PRIVATE_NETWORK = "true";
  process.env.FLAGPOST_SECRET_KEY = "unit-test-secret-key-of-at-least-32-chars";
  resetEnvForTests();
  gl = await startGitLabSimulator({ port: 0 });
  seed = gl.sim.seedDemo();
});
afterEach(() => {
  gl.sim.clearFaults();
  gl.sim.clearRequests();
});
afterAll(() => gl.close());

describe("typed results", () => {
  it("describes the token and the bot it acts as", async () => {
    const c = client();
    expect(await c.tokens.self()).toEqual({
      name: "Flagpost",
      scopes: ["api"],
      expiresAt: expect.any(String),
      active: true,
      revoked: false,
      userId: expect.any(Number),
    });
    const user = await c.user.current();
    expect(user).toMatchObject({ username: seed.botUsernames.maintainer, bot: true });
    expect(gl.sim.requests().every((request) => request.token === DEMO_TOKENS.maintainer)).toBe(true);
  });

  it("reads a project by numeric id with the token's effective role", async () => {
    const project = await client().projects.get(seed.projectId);
    expect(project).toEqual({
      id: seed.projectId,
      name: "Flags Demo",
      pathWithNamespace: seed.projectPath,
      webUrl: `${gl.url}/${seed.projectPath}`,
      accessLevel: ACCESS_LEVEL.maintainer,
    });
    expect((await client(DEMO_TOKENS.reporter).projects.get(seed.projectId)).accessLevel).toBe(
      ACCESS_LEVEL.reporter,
    );
    expect(gl.sim.requests().map((request) => request.path)).toEqual([
      `/projects/${seed.projectId}`,
      `/projects/${seed.projectId}`,
    ]);
  });

  it("maps issues (labels, author, state) and finds one by iid", async () => {
    const open = await client().issues.list(seed.projectId, { state: "opened", perPage: 100 });
    expect(open.items.length).toBeGreaterThan(0);
    expect(open.items.every((issue) => issue.state === "opened")).toBe(true);
    const first = await client().issues.list(seed.projectId, { iids: [1] });
    expect(first.items).toEqual([
      {
        id: expect.any(Number),
        iid: 1,
        title: "Roll out the new checkout flow behind a flag",
        state: "opened",
        webUrl: expect.stringContaining(`/${seed.projectPath}/-/issues/1`),
        projectId: seed.projectId,
        labels: ["backend", "feature"],
        author: {
          id: seed.users.alice,
          username: "alice",
          name: "Alice Maintainer",
          avatarUrl: expect.any(String),
        },
        assignees: [
          { id: seed.users.bob, username: "bob", name: "Bob Developer", avatarUrl: expect.any(String) },
        ],
        updatedAt: expect.any(String),
        closedAt: null,
        confidential: false,
      },
    ]);
    const closed = await client().issues.list(seed.projectId, { state: "closed", search: "legacy pricing" });
    expect(closed.items.map((issue) => issue.title)).toEqual(["Remove the legacy pricing flag"]);
    expect(gl.sim.requests().at(-1)?.query).toMatchObject({ state: "closed", search: "legacy pricing" });
  });

  it("maps merge requests: draft, merged and the state filter", async () => {
    const all = await client().mergeRequests.list(seed.projectId, { perPage: 100 });
    const byTitle = Object.fromEntries(all.items.map((mr) => [mr.title, mr]));
    // A draft is a title prefix in GitLab; `draft` is the flag to read.
    expect(byTitle["Draft: Experiment with percentage rollouts"]).toMatchObject({
      state: "opened",
      draft: true,
      merged: false,
    });
    expect(byTitle["Introduce the feature flag SDK"]).toMatchObject({
      state: "merged",
      draft: false,
      merged: true,
    });
    expect(byTitle["Cache flags in Redis"]).toMatchObject({ state: "closed", merged: false });
    const merged = await client().mergeRequests.list(seed.projectId, { state: "merged" });
    expect(merged.items.map((mr) => mr.title)).toEqual(["Introduce the feature flag SDK"]);
  });

  it("lists members including those inherited from groups, and searches them", async () => {
    const members = await client().members.list(seed.projectId, { perPage: 100 });
    expect(members.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ username: "alice", accessLevel: ACCESS_LEVEL.maintainer }),
      ]),
    );
    const bob = await client().members.list(seed.projectId, { query: "bob" });
    expect(bob.items).toEqual([
      {
        id: seed.users.bob,
        username: "bob",
        name: "Bob Developer",
        avatarUrl: expect.any(String),
        accessLevel: ACCESS_LEVEL.developer,
      },
    ]);
  });

  it("registers, edits and removes a project hook for issue and merge request events only", async () => {
    const hook = await client().hooks.add(seed.projectId, {
      url: "https://flagpost.example.com/api/v1/gitlab-webhook/1/",
      token: "s3cret",
      enableSslVerification: true,
    });
    const [stored] = gl.sim.hooks(seed.projectId);
    expect(stored).toMatchObject({
      id: hook.id,
      token: "s3cret",
      issues_events: true,
      confidential_issues_events: true,
      merge_requests_events: true,
      push_events: false,
      enable_ssl_verification: true,
    });
    await client().hooks.edit(seed.projectId, hook.id, {
      url: hook.url,
      token: "rotated",
      enableSslVerification: false,
    });
    expect(gl.sim.hooks(seed.projectId)[0]).toMatchObject({
      token: "rotated",
      enable_ssl_verification: false,
    });
    await client().hooks.remove(seed.projectId, hook.id);
    expect(gl.sim.hooks(seed.projectId)).toEqual([]);
  });

  it("decrypts an integration's stored token", async () => {
    const user = await gitlabClientForIntegration({
      instanceUrl: gl.url,
      encryptedToken: encryptSecret(DEMO_TOKENS.reporter),
    }).user.current();
    expect(user.username).toBe(seed.botUsernames.reporter);
  });
});

describe("pagination", () => {
  it("reads pages, totals and neighbours from GitLab's headers", async () => {
    const first = await client().projects.list({ perPage: 20 });
    expect(first).toMatchObject({
      page: 1,
      perPage: 20,
      prevPage: null,
      nextPage: 2,
      total: seed.acmeProjectCount,
      totalPages: Math.ceil(seed.acmeProjectCount / 20),
    });
    const second = await client().projects.list({ page: 2, perPage: 20 });
    expect(second).toMatchObject({ page: 2, prevPage: 1, nextPage: null });
    expect(second.items).toHaveLength(seed.acmeProjectCount - 20);
    // The project created first sits on the last page, and search finds it by namespace.
    expect(second.items.map((project) => project.pathWithNamespace)).toContain(DEMO_SEARCH_ONLY_PROJECT_PATH);
    const found = await client().projects.list({ search: "billing/checkout" });
    expect(found.items.map((project) => project.pathWithNamespace)).toEqual([DEMO_SEARCH_ONLY_PROJECT_PATH]);
    expect(gl.sim.requests().at(-1)?.query).toMatchObject({
      membership: "true",
      simple: "true",
      search_namespaces: "true",
    });
  });

  it("keeps paging when GitLab leaves the totals out (more than 10,000 matches)", async () => {
    const project = gl.sim.createProject({ path_with_namespace: "acme/huge-backlog" });
    for (let i = 0; i < 10_001; i++)
      gl.sim.createIssue(project, { title: `Backlog item ${i}`, author_id: seed.users.alice });
    const page = await client().issues.list(project, { page: 2, perPage: 50 });
    expect(page).toMatchObject({
      page: 2,
      perPage: 50,
      nextPage: 3,
      prevPage: 1,
      total: null,
      totalPages: null,
    });
    expect(page.items).toHaveLength(50);
  });

  it("falls back to the Link header when x-next-page and x-prev-page are missing", () => {
    const link =
      '<https://gitlab.example.com/api/v4/projects?page=2&per_page=20>; rel="prev", <https://gitlab.example.com/api/v4/projects?page=4&per_page=20>; rel="next"';
    expect(pageInfoFromHeaders({ link, "x-page": "3" }, { perPage: 20 }, 20)).toEqual({
      page: 3,
      perPage: 20,
      nextPage: 4,
      prevPage: 2,
      total: null,
      totalPages: null,
    });
    expect(
      pageInfoFromHeaders(
        { "x-next-page": "", "x-prev-page": "", "x-total": "7" },
        { page: 1, perPage: 20 },
        7,
      ),
    ).toMatchObject({ nextPage: null, prevPage: null, total: 7 });
    // No paging headers at all: a full page may have a successor, a short one does not.
    expect(pageInfoFromHeaders({}, { page: 1, perPage: 5 }, 5).nextPage).toBe(2);
    expect(pageInfoFromHeaders({}, { page: 1, perPage: 5 }, 3).nextPage).toBeNull();
  });
});

describe("rate limits and failures", () => {
  it("waits out a short Retry-After once and succeeds", async () => {
    gl.sim.injectFault({ status: 429, retryAfter: 1, pathPattern: "^/user$" });
    const started = Date.now();
    expect((await client().user.current()).bot).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(gl.sim.requests().map((request) => request.status)).toEqual([429, 200]);
  });

  it("retries only once", async () => {
    gl.sim.injectFault({ status: 429, retryAfter: 1, count: 2, pathPattern: "^/user$" });
    const error = await client()
      .user.current()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitLabApiError);
    expect(error).toMatchObject({ status: 429, retryAfterSeconds: 1 });
    expect(gl.sim.requests()).toHaveLength(2);
  });

  it("surfaces a long Retry-After at once instead of waiting", async () => {
    gl.sim.injectFault({ status: 429, retryAfter: 30, pathPattern: "^/user$" });
    const started = Date.now();
    const error = await client()
      .user.current()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: "GitLabApiError",
      status: 429,
      retryAfterSeconds: 30,
      gitlabMessage: "Retry later",
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(gl.sim.requests()).toHaveLength(1);
  });

  it("does not retry when the wait would overrun the call's time budget", async () => {
    gl.sim.injectFault({ status: 429, retryAfter: 1, pathPattern: "^/user$" });
    const error = await client(DEMO_TOKENS.maintainer, 1500)
      .user.current()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 429 });
    expect(gl.sim.requests()).toHaveLength(1);
  });

  it("reports an application-level 429 (JSON body, no headers) without a wait", async () => {
    gl.sim.injectFault({ status: 429, body: "application", pathPattern: "^/user$" });
    const error = await client()
      .user.current()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      status: 429,
      retryAfterSeconds: null,
      gitlabMessage: "This endpoint has been requested too many times. Try again later.",
    });
  });

  it("uses RateLimit-Reset when a 429 has no Retry-After", async () => {
    let calls = 0;
    const server = http.createServer((_req, res) => {
      calls += 1;
      if (calls === 1) {
        res
          .writeHead(429, {
            "content-type": "text/plain",
            "ratelimit-reset": String(Math.ceil(Date.now() / 1000) + 1),
          })
          .end("Retry later\n");
      } else {
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ id: 7, username: "svc", name: "Service", bot: false }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect(await gitlabClient({ instanceUrl: url, token: "t" }).user.current()).toEqual({
        id: 7,
        username: "svc",
        name: "Service",
        bot: false,
      });
      expect(calls).toBe(2);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("reports GitLab's 5xx with its status", async () => {
    gl.sim.injectFault({ status: 502, pathPattern: "^/projects$" });
    const error = await client()
      .projects.list()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: "GitLabApiError",
      status: 502,
      gitlabMessage: "502 Bad Gateway",
      endpoint: "GET /projects",
    });
  });

  it("gives up when GitLab does not answer in time", async () => {
    gl.sim.setLatency(800, "^/user$");
    const error = await client(DEMO_TOKENS.maintainer, 200)
      .user.current()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitLabUnreachableError);
    expect((error as GitLabUnreachableError).reason).toBe("timeout");
    // The simulator logs the abandoned request once its latency is over: let that happen here,
    // not in a later test that looks at the last request.
    await expect.poll(() => gl.sim.requests().length, { timeout: 5_000 }).toBe(1);
  });

  it("carries GitLab's error bodies: unknown, expired and revoked tokens, scope, missing project", async () => {
    expect(
      await client("glpat-nope")
        .user.current()
        .catch((e: unknown) => e),
    ).toMatchObject({ status: 401, gitlabMessage: "401 Unauthorized", errorCode: null });
    expect(
      await client(DEMO_TOKENS.expired)
        .user.current()
        .catch((e: unknown) => e),
    ).toMatchObject({
      status: 401,
      errorCode: "invalid_token",
      gitlabMessage: expect.stringMatching(/Token is expired/),
    });
    const revoked = gl.sim.createToken({
      name: "gone",
      scopes: ["api"],
      revoked: true,
      projects: [{ id: seed.projectId, access_level: ACCESS_LEVEL.developer }],
    });
    expect(
      await client(revoked.value)
        .user.current()
        .catch((e: unknown) => e),
    ).toMatchObject({ status: 401, gitlabMessage: expect.stringMatching(/revoked/) });
    const scope = await client(DEMO_TOKENS.readonly)
      .hooks.add(seed.projectId, { url: "https://example.com/hook", token: "x", enableSslVerification: true })
      .catch((e: unknown) => e);
    expect(scope).toMatchObject({ status: 403, errorCode: "insufficient_scope" });
    expect(
      await client()
        .projects.get(seed.privateProjectId)
        .catch((e: unknown) => e),
    ).toMatchObject({ status: 404, gitlabMessage: "404 Project Not Found" });
  });

  it("says when the URL answers something that is not GitLab's API", async () => {
    const server = http.createServer((_req, res) =>
      res.writeHead(200, { "content-type": "text/html" }).end("<html>Welcome</html>"),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const error = await gitlabClient({
        instanceUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        token: "t",
      })
        .user.current()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GitLabUnreachableError);
      expect((error as GitLabUnreachableError).reason).toBe("not_gitlab");
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe("single items, known iids and labels (linking features)", () => {
  it("reads one issue or merge request, with when it was closed or merged", async () => {
    const closed = await client().issues.get(seed.projectId, 2);
    expect(closed).toMatchObject({
      iid: 2,
      state: "closed",
      projectId: seed.projectId,
      closedAt: expect.any(String),
    });
    const merged = await client().mergeRequests.get(seed.projectId, 3);
    expect(merged).toMatchObject({ iid: 3, state: "merged", merged: true, closedAt: expect.any(String) });
    expect(gl.sim.requests().map((request) => request.path)).toEqual([
      `/projects/${seed.projectId}/issues/2`,
      `/projects/${seed.projectId}/merge_requests/3`,
    ]);
    expect(
      await client()
        .issues.get(seed.projectId, 999)
        .catch((e: unknown) => e),
    ).toMatchObject({ status: 404 });
  });

  it("resolves a project path to its numeric id, URL-encoding the path", async () => {
    expect(await client().projects.getByPath(seed.projectPath)).toMatchObject({
      id: seed.projectId,
      pathWithNamespace: seed.projectPath,
    });
    expect(gl.sim.requests().at(-1)?.path).toBe(`/projects/${encodeURIComponent(seed.projectPath)}`);
    expect(
      await client()
        .projects.getByPath("acme/nope")
        .catch((e: unknown) => e),
    ).toMatchObject({ status: 404 });
  });

  it("reads many known items in one request with iids[], leaving out those GitLab does not show", async () => {
    const page = await client().issues.list(seed.projectId, { iids: [1, 2, 999], perPage: 100 });
    expect(page.items.map((issue) => issue.iid).sort()).toEqual([1, 2]);
    expect(gl.sim.requests()).toHaveLength(1);
    expect(gl.sim.requests()[0]!.query).toMatchObject({ "iids[]": ["1", "2", "999"], per_page: "100" });
  });

  it("creates a label once (409 means it exists), adds it to an issue and an MR and removes it again", async () => {
    const label = { name: "Flagpost", color: "#6837FC", description: "Linked to a feature flag in Flagpost" };
    expect(await client().labels.create(seed.projectId, label)).toBe(true);
    expect(await client().labels.create(seed.projectId, label)).toBe(false);
    expect(gl.sim.labels(seed.projectId).find((row) => row.name === "Flagpost")).toMatchObject({
      color: "#6837FC",
      description: label.description,
    });

    expect((await client().issues.editLabels(seed.projectId, 7, { add: ["Flagpost"] })).labels).toContain(
      "Flagpost",
    );
    expect(
      (await client().mergeRequests.editLabels(seed.projectId, 1, { add: ["Flagpost"] })).labels,
    ).toContain("Flagpost");
    expect(gl.sim.requests().at(-1)).toMatchObject({
      method: "PUT",
      path: `/projects/${seed.projectId}/merge_requests/1`,
    });
    expect(
      (await client().issues.editLabels(seed.projectId, 7, { remove: ["Flagpost"] })).labels,
    ).not.toContain("Flagpost");
    expect(
      (await client().mergeRequests.editLabels(seed.projectId, 1, { remove: ["Flagpost"] })).labels,
    ).not.toContain("Flagpost");
  });

  it("refuses label creation to a token below Planner with a 403", async () => {
    const guest = gl.sim.createToken({
      name: "guest",
      scopes: ["api"],
      projects: [{ id: seed.projectId, access_level: ACCESS_LEVEL.guest }],
    });
    const error = await client(guest.value)
      .labels.create(seed.projectId, { name: "Flagpost-guest", color: "#6837FC" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "GitLabApiError", status: 403 });
  });
});

describe("notes on issues and merge requests (status comments)", () => {
  it("creates, edits and lists comments on an issue and a merge request", async () => {
    const note = await client().issueNotes.create(seed.projectId, 6, "<!-- marker -->\nHello");
    expect(note).toMatchObject({
      id: expect.any(Number),
      body: "<!-- marker -->\nHello",
      system: false,
      author: { username: seed.botUsernames.maintainer },
    });
    expect(gl.sim.requests().at(-1)).toMatchObject({
      method: "POST",
      path: `/projects/${seed.projectId}/issues/6/notes`,
      status: 201,
    });
    const edited = await client().issueNotes.edit(seed.projectId, 6, note.id, "Edited");
    expect(edited).toMatchObject({ id: note.id, body: "Edited" });
    expect(gl.sim.requests().at(-1)).toMatchObject({
      method: "PUT",
      path: `/projects/${seed.projectId}/issues/6/notes/${note.id}`,
    });
    expect(
      gl.sim
        .notes(seed.projectId, "issue", 6)
        .filter((row) => !row.system)
        .map((row) => row.body),
    ).toContain("Edited");

    const mrNote = await client().mergeRequestNotes.create(seed.projectId, 1, "On the MR");
    expect(
      (await client().mergeRequestNotes.edit(seed.projectId, 1, mrNote.id, "On the MR, edited")).body,
    ).toBe("On the MR, edited");
    const page = await client().mergeRequestNotes.list(seed.projectId, 1, { perPage: 100 });
    expect(page.items.map((row) => row.id)).toContain(mrNote.id);
    expect(gl.sim.requests().at(-1)?.query).toMatchObject({
      activity_filter: "only_comments",
      sort: "desc",
      order_by: "created_at",
      per_page: "100",
    });
  });

  it("pages through comments, newest first, leaving out system notes", async () => {
    const iid = gl.sim.createIssue(seed.projectId, {
      title: "Busy discussion",
      author_id: seed.users.alice,
    }).iid;
    for (let n = 1; n <= 25; n++) await client().issueNotes.create(seed.projectId, iid, `comment ${n}`);
    await gl.sim.issueAction(seed.projectId, iid, "update", { labels: ["bug"] });
    const first = await client().issueNotes.list(seed.projectId, iid, { perPage: 10 });
    expect(first).toMatchObject({ page: 1, nextPage: 2, total: 25 });
    expect(first.items[0]!.body).toBe("comment 25");
    const third = await client().issueNotes.list(seed.projectId, iid, { page: 3, perPage: 10 });
    expect(third).toMatchObject({ page: 3, nextPage: null });
    expect(third.items.map((row) => row.body)).toEqual([
      "comment 5",
      "comment 4",
      "comment 3",
      "comment 2",
      "comment 1",
    ]);
    expect(
      (await client().issueNotes.list(seed.projectId, iid, { sort: "asc", perPage: 1 })).items[0]!.body,
    ).toBe("comment 1");
  });

  it("answers 403 to an edit of someone else's note and 404 to an edit of a deleted one", async () => {
    const note = await client().issueNotes.create(seed.projectId, 7, "Written by the maintainer bot");
    expect(
      await client(DEMO_TOKENS.reporter)
        .issueNotes.edit(seed.projectId, 7, note.id, "Hijacked")
        .catch((e: unknown) => e),
    ).toMatchObject({ status: 403 });
    gl.sim.store.notes.delete(note.id);
    expect(
      await client()
        .issueNotes.edit(seed.projectId, 7, note.id, "Back?")
        .catch((e: unknown) => e),
    ).toMatchObject({ status: 404 });
  });
});

describe("no text sent to GitLab runs a quick action", () => {
  // A fence Flagpost's old filter and GitLab read differently: "~~~~" opens, "```" does not close
  // it for CommonMark, but GitLab's extractor sees two fences and runs what follows.
  const sneaky = "Please look.\n~~~~\n```\n/close\n/label ~bug\n~~~~\n\t/confidential";

  it("in notes created or edited, whoever rendered them", async () => {
    const before = gl.sim.quickActions().length;
    const note = await client().issueNotes.create(seed.projectId, 6, sneaky);
    expect(note.body).toContain("\\/close");
    await client().issueNotes.edit(seed.projectId, 6, note.id, `${sneaky}\n/reopen`);
    await client().mergeRequestNotes.create(seed.projectId, 1, sneaky);
    expect(gl.sim.quickActions()).toHaveLength(before);
    expect(gl.sim.getIssue(seed.projectId, 6)?.state).toBe("opened");
  });

  it("in a new issue's title and description", async () => {
    const before = gl.sim.quickActions().length;
    const issue = await client().issues.create(seed.projectId, { title: "/close", description: sneaky });
    expect(gl.sim.quickActions()).toHaveLength(before);
    expect(issue.title).toBe("\\/close");
    expect(gl.sim.getIssue(seed.projectId, issue.iid)?.description).toBe(
      "Please look.\n~~~~\n```\n\\/close\n\\/label ~bug\n~~~~\n\t\\/confidential",
    );
  });
});

describe("creating issues", () => {
  it("creates an issue with a description, assignees and labels (comma-separated for GitLab)", async () => {
    const issue = await client().issues.create(seed.projectId, {
      title: "Remove feature flag `x`",
      description: "Body",
      assigneeIds: [seed.users.bob],
      labels: ["cleanup", "feature-flag"],
    });
    expect(issue).toMatchObject({
      iid: expect.any(Number),
      projectId: seed.projectId,
      title: "Remove feature flag `x`",
      state: "opened",
      labels: ["cleanup", "feature-flag"],
    });
    expect(issue.assignees.map((user) => user.username)).toEqual(["bob"]);
    expect(gl.sim.getIssue(seed.projectId, issue.iid)?.description).toBe("Body");
    const plain = await client().issues.create(seed.projectId, { title: "Only a title" });
    expect(plain).toMatchObject({ title: "Only a title", labels: [], assignees: [] });
  });

  it("finds members by user id in one request (user_ids[])", async () => {
    const found = await client().members.list(seed.projectId, {
      userIds: [seed.users.bob, seed.users.dave],
      perPage: 100,
    });
    expect(found.items.map((member) => member.username)).toEqual(["bob"]);
    // By path, not the last request: a slow request of an earlier test may land after it.
    const memberRequests = gl.sim.requests().filter((request) => request.path.includes("/members"));
    expect(memberRequests).toHaveLength(1);
    expect(memberRequests[0]?.query).toMatchObject({
      "user_ids[]": [String(seed.users.bob), String(seed.users.dave)],
    });
  });
});
