import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PROJECT_PATH, DEMO_TOKENS, type DemoSeed } from "./seed";
import { type GitLabSimulator, startGitLabSimulator } from "./server";
import { api } from "./test-helpers";

let gl: GitLabSimulator;
let seed: DemoSeed;
let guestToken: string;
const T = DEMO_TOKENS;

beforeAll(async () => {
  gl = await startGitLabSimulator({ port: 0, seed: true });
  seed = gl.sim.seedDemo();
  guestToken = gl.sim.createToken({
    name: "guest bot",
    scopes: ["api"],
    projects: [{ id: seed.projectId, access_level: 10 }],
  }).value;
});
afterAll(() => gl.close());

const iidsOf = (data: { iid: number }[]) => data.map((i) => i.iid);

describe("issues", () => {
  it("filters by iids[] and state", async () => {
    const p = `/projects/${seed.projectId}/issues`;
    const both = await api(gl.url, `${p}?iids[]=1&iids[]=2`, { token: T.maintainer });
    expect(iidsOf(both.data).sort()).toEqual([1, 2]);
    const opened = await api(gl.url, `${p}?iids[]=1&iids[]=2&state=opened`, { token: T.maintainer });
    expect(iidsOf(opened.data)).toEqual([1]);
    const closed = await api(gl.url, `${p}?state=closed`, { token: T.maintainer });
    expect(closed.data.every((i: { state: string }) => i.state === "closed")).toBe(true);
    expect(iidsOf(closed.data).sort()).toEqual([2, 5]);
    const bad = await api(gl.url, `${p}?state=open`, { token: T.maintainer });
    expect(bad.status).toBe(400);
    expect(bad.data).toEqual({ error: "state does not have a valid value" });
  });

  it("filters by labels, search and issue_type; tasks get work item URLs", async () => {
    const p = `/projects/${seed.projectId}/issues`;
    const labelled = await api(gl.url, `${p}?labels=bug,frontend`, { token: T.maintainer });
    expect(iidsOf(labelled.data)).toEqual([7]);
    const search = await api(gl.url, `${p}?search=checkout&in=title`, { token: T.maintainer });
    expect(iidsOf(search.data)).toEqual([1]);
    const tasks = await api(gl.url, `${p}?issue_type=task`, { token: T.maintainer });
    expect(tasks.data).toHaveLength(1);
    expect(tasks.data[0]).toMatchObject({ iid: 3, issue_type: "task", type: "TASK" });
    expect(tasks.data[0].web_url).toBe(`${gl.url}/${DEMO_PROJECT_PATH}/-/work_items/3`);
  });

  it("returns the issue shape and 404 Not found for unknown iids", async () => {
    const r = await api(gl.url, `/projects/${seed.projectId}/issues/1`, { token: T.maintainer });
    expect(r.status).toBe(200);
    expect(r.data).toMatchObject({
      iid: 1,
      project_id: seed.projectId,
      state: "opened",
      closed_at: null,
      labels: ["backend", "feature"],
      issue_type: "issue",
      type: "ISSUE",
      confidential: false,
      web_url: `${gl.url}/${DEMO_PROJECT_PATH}/-/issues/1`,
      references: { short: "#1", relative: "#1", full: `${DEMO_PROJECT_PATH}#1` },
      author: { username: "alice" },
      assignee: { username: "bob" },
    });
    expect(r.data.id).not.toBe(r.data.iid);
    expect(r.data.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const missing = await api(gl.url, `/projects/${seed.projectId}/issues/999`, { token: T.maintainer });
    expect(missing.status).toBe(404);
    expect(missing.data).toEqual({ message: "404 Not found" });
    // Global id is not an iid.
    expect(
      (await api(gl.url, `/projects/${seed.projectId}/issues/${r.data.id}`, { token: T.maintainer })).status,
    ).toBe(404);
  });

  it("hides confidential issues from guests", async () => {
    const asGuest = await api(gl.url, `/projects/${seed.projectId}/issues?confidential=true`, {
      token: guestToken,
    });
    expect(asGuest.data).toEqual([]);
    expect((await api(gl.url, `/projects/${seed.projectId}/issues/4`, { token: guestToken })).status).toBe(
      404,
    );
    const asReporter = await api(gl.url, `/projects/${seed.projectId}/issues?confidential=true`, {
      token: T.reporter,
    });
    expect(iidsOf(asReporter.data)).toEqual([4]);
  });

  it("creates issues (JSON or form), ignoring non-member assignees; title is required", async () => {
    const p = `/projects/${seed.projectId}/issues`;
    const missing = await api(gl.url, p, { token: T.maintainer, method: "POST", json: { description: "x" } });
    expect(missing.status).toBe(400);
    expect(missing.data).toEqual({ error: "title is missing" });
    const created = await api(gl.url, p, {
      token: T.maintainer,
      method: "POST",
      json: {
        title: "From the API",
        labels: "feature,brand-new",
        assignee_ids: [seed.users.bob, seed.users.dave],
      },
    });
    expect(created.status).toBe(201);
    expect(created.data.assignees.map((u: { username: string }) => u.username)).toEqual(["bob"]);
    expect(created.data.labels).toEqual(["brand-new", "feature"]);
    expect(created.data.author.username).toBe(seed.botUsernames.maintainer);
    const form = await api(gl.url, p, {
      token: T.maintainer,
      method: "POST",
      form: { title: "Form issue", confidential: "true" },
    });
    expect(form.status).toBe(201);
    expect(form.data.confidential).toBe(true);
    expect(form.data.iid).toBe(created.data.iid + 1);
  });

  it("edits issues: add/remove labels, state_event, at-least-one-param 400", async () => {
    const p = `/projects/${seed.projectId}/issues/6`;
    const none = await api(gl.url, p, { token: T.reporter, method: "PUT", json: {} });
    expect(none.status).toBe(400);
    expect(none.data.error).toMatch(/at least one parameter must be provided$/);
    const added = await api(gl.url, p, {
      token: T.reporter,
      method: "PUT",
      form: { add_labels: "flag:new_checkout", remove_labels: "feature" },
    });
    expect(added.status).toBe(200);
    expect(added.data.labels).toEqual(["flag:new_checkout"]);
    expect(gl.sim.labels(seed.projectId).map((l) => l.name)).toContain("flag:new_checkout");
    const closed = await api(gl.url, `${p}?state_event=close`, { token: T.reporter, method: "PUT" });
    expect(closed.data.state).toBe("closed");
    expect(closed.data.closed_at).not.toBeNull();
    expect(closed.data.closed_by.username).toBe(seed.botUsernames.reporter);
    const reopened = await api(gl.url, p, {
      token: T.reporter,
      method: "PUT",
      json: { state_event: "reopen" },
    });
    expect(reopened.data).toMatchObject({ state: "opened", closed_at: null });
  });

  it("silently drops label params from users below Reporter", async () => {
    const mine = await api(gl.url, `/projects/${seed.projectId}/issues`, {
      token: guestToken,
      method: "POST",
      json: { title: "Guest issue", labels: "bug" },
    });
    expect(mine.status).toBe(201);
    expect(mine.data.labels).toEqual([]);
    const edit = await api(gl.url, `/projects/${seed.projectId}/issues/${mine.data.iid}`, {
      token: guestToken,
      method: "PUT",
      json: { add_labels: "bug" },
    });
    expect(edit.status).toBe(200);
    expect(edit.data.labels).toEqual([]);
    // Not the author and below Reporter: cannot edit someone else's issue.
    const other = await api(gl.url, `/projects/${seed.projectId}/issues/1`, {
      token: guestToken,
      method: "PUT",
      json: { title: "hijack" },
    });
    expect(other.status).toBe(403);
    expect(other.data).toEqual({ message: "403 Forbidden" });
  });
});

describe("merge requests", () => {
  it("exposes draft, merged and closed fields", async () => {
    const list = await api(
      gl.url,
      `/projects/${seed.projectId}/merge_requests?iids[]=1&iids[]=2&iids[]=3&iids[]=4`,
      { token: T.maintainer },
    );
    const byIid = Object.fromEntries(list.data.map((m: { iid: number }) => [m.iid, m]));
    expect(byIid[1]).toMatchObject({
      state: "opened",
      draft: false,
      work_in_progress: false,
      detailed_merge_status: "mergeable",
      merged_at: null,
    });
    expect(byIid[2]).toMatchObject({
      state: "opened",
      draft: true,
      work_in_progress: true,
      detailed_merge_status: "draft_status",
    });
    expect(byIid[2].title).toBe("Draft: Experiment with percentage rollouts");
    expect(byIid[3]).toMatchObject({
      state: "merged",
      detailed_merge_status: "not_open",
      merge_user: { username: "alice" },
    });
    expect(byIid[3].merged_at).toMatch(/Z$/);
    expect(byIid[4]).toMatchObject({ state: "closed" });
    expect(byIid[4].closed_at).toMatch(/Z$/);
    expect(byIid[1]).toMatchObject({
      references: { short: "!1", full: `${DEMO_PROJECT_PATH}!1` },
      web_url: `${gl.url}/${DEMO_PROJECT_PATH}/-/merge_requests/1`,
      source_branch: "feature/flag-evaluation",
      target_branch: "main",
    });
  });

  it("filters by state and wip", async () => {
    const p = `/projects/${seed.projectId}/merge_requests`;
    expect(iidsOf((await api(gl.url, `${p}?state=merged`, { token: T.maintainer })).data)).toEqual([3]);
    expect(iidsOf((await api(gl.url, `${p}?state=opened&wip=yes`, { token: T.maintainer })).data)).toEqual([
      2,
    ]);
    expect(iidsOf((await api(gl.url, `${p}?state=opened&wip=no`, { token: T.maintainer })).data)).toEqual([
      1,
    ]);
  });

  it("404s unknown MRs and edits labels/state", async () => {
    const missing = await api(gl.url, `/projects/${seed.projectId}/merge_requests/99`, {
      token: T.maintainer,
    });
    expect(missing.status).toBe(404);
    expect(missing.data).toEqual({ message: "404 Not found" });
    const p = `/projects/${seed.projectId}/merge_requests/1`;
    const labelled = await api(gl.url, p, {
      token: T.reporter,
      method: "PUT",
      json: { add_labels: "flag:sdk" },
    });
    expect(labelled.status).toBe(200);
    expect(labelled.data.labels).toContain("flag:sdk");
    // A Reporter may label but not close someone else's MR.
    expect(
      (await api(gl.url, p, { token: T.reporter, method: "PUT", json: { state_event: "close" } })).status,
    ).toBe(403);
    const closed = await api(gl.url, p, {
      token: T.maintainer,
      method: "PUT",
      json: { state_event: "close" },
    });
    expect(closed.data.state).toBe("closed");
  });

  it("is hidden from guests of a private project", async () => {
    const r = await api(gl.url, `/projects/${seed.projectId}/merge_requests`, { token: guestToken });
    expect(r.status).toBe(403);
  });

  it("lists members including bots, filtered by query", async () => {
    const all = await api(gl.url, `/projects/${seed.projectId}/members/all?per_page=100`, {
      token: T.reporter,
    });
    const names = all.data.map((m: { username: string }) => m.username);
    expect(names).toEqual(
      expect.arrayContaining([
        "alice",
        "bob",
        "carol",
        seed.botUsernames.reporter,
        seed.botUsernames.maintainer,
      ]),
    );
    const alice = all.data.find((m: { username: string }) => m.username === "alice");
    expect(Object.keys(alice)).toEqual(
      expect.arrayContaining([
        "id",
        "username",
        "name",
        "state",
        "avatar_url",
        "web_url",
        "access_level",
        "created_at",
        "expires_at",
      ]),
    );
    expect(alice.access_level).toBe(40);
    const direct = await api(gl.url, `/projects/${seed.projectId}/members`, { token: T.reporter });
    expect(direct.data.map((m: { username: string }) => m.username)).not.toContain("alice");
    const q = await api(gl.url, `/projects/${seed.projectId}/members/all?query=ali`, { token: T.reporter });
    expect(q.data.map((m: { username: string }) => m.username)).toEqual(["alice"]);
  });
});
