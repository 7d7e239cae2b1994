import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_TOKENS, type DemoSeed } from "./seed";
import { type GitLabSimulator, startGitLabSimulator } from "./server";
import { api } from "./test-helpers";

let gl: GitLabSimulator;
let seed: DemoSeed;
const T = DEMO_TOKENS;

beforeAll(async () => {
  gl = await startGitLabSimulator({ port: 0, seed: true });
  seed = gl.sim.seedDemo();
});
afterAll(() => gl.close());

describe("notes", () => {
  const notes = () => `/projects/${seed.projectId}/issues/1/notes`;

  it("creates a note (201) with GitLab's shape and lists newest first", async () => {
    const r = await api(gl.url, notes(), {
      token: T.reporter,
      method: "POST",
      json: { body: "Linked to flag `new_checkout`" },
    });
    expect(r.status).toBe(201);
    expect(r.data).toMatchObject({
      type: null,
      body: "Linked to flag `new_checkout`",
      system: false,
      noteable_type: "Issue",
      noteable_iid: 1,
      project_id: seed.projectId,
      confidential: false,
      internal: false,
      author: { username: seed.botUsernames.reporter },
    });
    expect(r.data.noteable_id).toBe(gl.sim.getIssue(seed.projectId, 1)?.id);
    expect(r.data.created_at).toBe(r.data.updated_at);
    await api(gl.url, notes(), { token: T.reporter, method: "POST", form: { body: "second" } });
    const list = await api(gl.url, notes(), { token: T.reporter });
    expect(list.data.map((n: { body: string }) => n.body).slice(0, 2)).toEqual([
      "second",
      "Linked to flag `new_checkout`",
    ]);
    expect(list.headers.get("x-total")).toBe("2");
    const asc = await api(gl.url, `${notes()}?sort=asc&per_page=1`, { token: T.reporter });
    expect(asc.data[0].body).toBe("Linked to flag `new_checkout`");
    expect(asc.headers.get("x-next-page")).toBe("2");
  });

  it("edits only the author's own note; updated_at moves", async () => {
    const created = await api(gl.url, notes(), { token: T.reporter, method: "POST", json: { body: "v1" } });
    const id = created.data.id;
    const edited = await api(gl.url, `${notes()}/${id}`, {
      token: T.reporter,
      method: "PUT",
      json: { body: "v2" },
    });
    expect(edited.status).toBe(200);
    expect(edited.data.body).toBe("v2");
    expect(edited.data.updated_at > created.data.updated_at).toBe(true);
    expect(edited.data.created_at).toBe(created.data.created_at);
    const blank = await api(gl.url, `${notes()}/${id}`, {
      token: T.reporter,
      method: "PUT",
      json: { body: "  " },
    });
    expect(blank.status).toBe(400);
    const missing = await api(gl.url, `${notes()}/${id}`, { token: T.reporter, method: "PUT", json: {} });
    expect(missing.data).toEqual({ error: "body is missing" });
    // Another non-maintainer user cannot edit it.
    const dev = gl.sim.createToken({
      name: "dev bot",
      scopes: ["api"],
      projects: [{ id: seed.projectId, access_level: 30 }],
    });
    const forbidden = await api(gl.url, `${notes()}/${id}`, {
      token: dev.value,
      method: "PUT",
      json: { body: "hijack" },
    });
    expect(forbidden.status).toBe(403);
    expect(forbidden.data).toEqual({ message: "403 Forbidden" });
    expect((await api(gl.url, `${notes()}/${id}`, { token: T.reporter })).data.body).toBe("v2");
  });

  it("answers 400 for a missing body and the right 404s", async () => {
    const noBody = await api(gl.url, notes(), { token: T.reporter, method: "POST", json: {} });
    expect(noBody.status).toBe(400);
    expect(noBody.data).toEqual({ error: "body is missing" });
    const noIssue = await api(gl.url, `/projects/${seed.projectId}/issues/999/notes`, {
      token: T.reporter,
      method: "POST",
      json: { body: "x" },
    });
    expect(noIssue.status).toBe(404);
    expect(noIssue.data).toEqual({ message: "404 Issue Not Found" });
    const noMr = await api(gl.url, `/projects/${seed.projectId}/merge_requests/999/notes`, {
      token: T.reporter,
      method: "POST",
      json: { body: "x" },
    });
    expect(noMr.data).toEqual({ message: "404 MergeRequest Not Found" });
    const noNote = await api(gl.url, `${notes()}/123456789`, {
      token: T.reporter,
      method: "PUT",
      json: { body: "x" },
    });
    expect(noNote.status).toBe(404);
    expect(noNote.data).toEqual({ message: "404 Not found" });
    const deleted = await api(gl.url, notes(), { token: T.reporter, method: "POST", json: { body: "bye" } });
    expect(
      (await api(gl.url, `${notes()}/${deleted.data.id}`, { token: T.reporter, method: "DELETE" })).status,
    ).toBe(204);
    expect((await api(gl.url, `${notes()}/${deleted.data.id}`, { token: T.reporter })).status).toBe(404);
  });

  it("runs quick actions: commands only → 202 and no note; all are recorded", async () => {
    const before = gl.sim.notes(seed.projectId, "issue", 7).filter((n) => !n.system).length;
    const r = await api(gl.url, `/projects/${seed.projectId}/issues/7/notes`, {
      token: T.reporter,
      method: "POST",
      json: { body: "/label ~feature\n/close" },
    });
    expect(r.status).toBe(202);
    expect(r.data.commands_changes).toMatchObject({ state_event: "close" });
    expect(gl.sim.notes(seed.projectId, "issue", 7).filter((n) => !n.system)).toHaveLength(before);
    expect(gl.sim.getIssue(seed.projectId, 7)).toMatchObject({ state: "closed" });
    expect(gl.sim.getIssue(seed.projectId, 7)?.labels).toContain("feature");
    expect(gl.sim.quickActions().map((q) => q.command)).toEqual(["label", "close"]);
  });

  it("does not treat escaped or fenced commands as quick actions", async () => {
    const count = gl.sim.quickActions().length;
    const body = "Flag note:\n `/label ~bug`\n```\n/close\n```\n> /reopen";
    const r = await api(gl.url, `/projects/${seed.projectId}/merge_requests/1/notes`, {
      token: T.reporter,
      method: "POST",
      json: { body },
    });
    expect(r.status).toBe(201);
    expect(r.data.body).toBe(body);
    expect(gl.sim.quickActions()).toHaveLength(count);
  });
});

describe("labels", () => {
  it("creates labels (201), 409 on exact duplicates, case-sensitive", async () => {
    const p = `/projects/${seed.projectId}/labels`;
    const r = await api(gl.url, p, {
      token: T.reporter,
      method: "POST",
      json: { name: "flag:dark_mode", color: "#1f75cb", description: "Flag" },
    });
    expect(r.status).toBe(201);
    expect(r.data).toMatchObject({
      name: "flag:dark_mode",
      color: "#1F75CB",
      description: "Flag",
      is_project_label: true,
    });
    const dup = await api(gl.url, p, {
      token: T.reporter,
      method: "POST",
      json: { name: "flag:dark_mode", color: "red" },
    });
    expect(dup.status).toBe(409);
    expect(dup.data).toEqual({ message: "Label already exists" });
    const other = await api(gl.url, p, {
      token: T.reporter,
      method: "POST",
      json: { name: "Flag:Dark_Mode", color: "red" },
    });
    expect(other.status).toBe(201);
    expect(other.data.color).toBe("#FF0000");
    expect((await api(gl.url, p, { token: T.reporter, method: "POST", json: { name: "x" } })).data).toEqual({
      error: "color is missing",
    });
    const bad = await api(gl.url, p, {
      token: T.reporter,
      method: "POST",
      json: { name: "x", color: "notacolor" },
    });
    expect(bad.status).toBe(400);
    const search = await api(gl.url, `${p}?search=dark`, { token: T.reporter });
    expect(search.data.map((l: { name: string }) => l.name).sort()).toEqual([
      "Flag:Dark_Mode",
      "flag:dark_mode",
    ]);
  });

  it("needs Reporter to create labels", async () => {
    const guest = gl.sim.createToken({
      name: "guest",
      scopes: ["api"],
      projects: [{ id: seed.projectId, access_level: 10 }],
    });
    const r = await api(gl.url, `/projects/${seed.projectId}/labels`, {
      token: guest.value,
      method: "POST",
      json: { name: "g", color: "#000000" },
    });
    expect(r.status).toBe(403);
    expect(r.data).toEqual({ message: "403 Forbidden" });
  });
});

describe("hooks", () => {
  it("needs Maintainer, never returns the token, defaults push_events to true", async () => {
    const p = `/projects/${seed.projectId}/hooks`;
    const asReporter = await api(gl.url, p, {
      token: T.reporter,
      method: "POST",
      json: { url: "http://127.0.0.1:9/hook" },
    });
    expect(asReporter.status).toBe(403);
    expect(asReporter.data).toEqual({ message: "403 Forbidden" });
    expect((await api(gl.url, p, { token: T.reporter })).status).toBe(403);

    const created = await api(gl.url, p, {
      token: T.maintainer,
      method: "POST",
      json: {
        url: "http://127.0.0.1:9/hook",
        token: "s3cret",
        issues_events: true,
        merge_requests_events: true,
        note_events: true,
      },
    });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({
      push_events: true,
      issues_events: true,
      confidential_issues_events: false,
      enable_ssl_verification: true,
      project_id: seed.projectId,
    });
    expect(created.data).not.toHaveProperty("token");
    expect(gl.sim.hooks(seed.projectId).find((h) => h.id === created.data.id)?.token).toBe("s3cret");

    const updated = await api(gl.url, `${p}/${created.data.id}`, {
      token: T.maintainer,
      method: "PUT",
      json: { push_events: false },
    });
    expect(updated.data.push_events).toBe(false);
    const list = await api(gl.url, p, { token: T.maintainer });
    expect(list.data.map((h: { id: number }) => h.id)).toContain(created.data.id);
    expect((await api(gl.url, p, { token: T.maintainer, method: "POST", json: {} })).data).toEqual({
      error: "url is missing",
    });
    expect(
      (await api(gl.url, `${p}/${created.data.id}`, { token: T.maintainer, method: "DELETE" })).status,
    ).toBe(204);
    expect((await api(gl.url, `${p}/${created.data.id}`, { token: T.maintainer })).status).toBe(404);
  });
});
