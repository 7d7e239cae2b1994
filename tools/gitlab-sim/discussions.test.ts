import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_PROJECT_PATH, DEMO_TOKENS, type DemoSeed } from "./seed";
import { type GitLabSimulator, startGitLabSimulator } from "./server";
import { api, type Receiver, startReceiver } from "./test-helpers";

let gl: GitLabSimulator;
let seed: DemoSeed;
let rx: Receiver;
const T = DEMO_TOKENS;
const SHA1 = /^[0-9a-f]{40}$/;

beforeAll(async () => {
  gl = await startGitLabSimulator({ port: 0 });
  rx = await startReceiver();
});
beforeEach(() => {
  seed = gl.sim.seedDemo();
  gl.sim.registerHook(seed.projectId, {
    url: rx.url,
    token: "hook-secret",
    note_events: true,
    confidential_note_events: true,
    push_events: false,
  });
  rx.clear();
});
afterAll(async () => {
  await gl.close();
  await rx.close();
});

const issueThreads = () => `/projects/${seed.projectId}/issues/1/discussions`;
const mrThreads = () => `/projects/${seed.projectId}/merge_requests/1/discussions`;

describe("Discussions API", () => {
  it("starts a thread (201 Discussion of one DiscussionNote) and replies in it", async () => {
    const started = await api(gl.url, issueThreads(), {
      token: T.reporter,
      method: "POST",
      json: { body: "Should we enable this in staging?" },
    });
    expect(started.status).toBe(201);
    expect(started.data.id).toMatch(SHA1);
    expect(started.data.individual_note).toBe(false);
    expect(started.data.notes).toHaveLength(1);
    expect(started.data.notes[0]).toMatchObject({
      type: "DiscussionNote",
      body: "Should we enable this in staging?",
      noteable_type: "Issue",
      noteable_iid: 1,
      resolvable: false,
      author: { username: seed.botUsernames.reporter },
    });
    const discussionId = started.data.id as string;

    const reply = await api(gl.url, `${issueThreads()}/${discussionId}/notes`, {
      token: T.maintainer,
      method: "POST",
      json: { body: "Yes" },
    });
    expect(reply.status).toBe(201);
    expect(reply.data).toMatchObject({
      type: "DiscussionNote",
      body: "Yes",
      author: { username: seed.botUsernames.maintainer },
    });

    const one = await api(gl.url, `${issueThreads()}/${discussionId}`, { token: T.reporter });
    expect(one.status).toBe(200);
    expect(one.data.notes.map((n: { body: string }) => n.body)).toEqual([
      "Should we enable this in staging?",
      "Yes",
    ]);
    const notes = await api(gl.url, `${issueThreads()}/${discussionId}/notes`, { token: T.reporter });
    expect(notes.data.map((n: { id: number }) => n.id)).toEqual([started.data.notes[0].id, reply.data.id]);
    // The Notes API sees both notes too.
    const all = await api(gl.url, `/projects/${seed.projectId}/issues/1/notes?sort=asc`, {
      token: T.reporter,
    });
    expect(all.data.map((n: { body: string; type: string | null }) => [n.body, n.type])).toEqual([
      ["Should we enable this in staging?", "DiscussionNote"],
      ["Yes", "DiscussionNote"],
    ]);
  });

  it("lists standalone comments as individual notes and converts one into a thread when replied to", async () => {
    const comment = await api(gl.url, `/projects/${seed.projectId}/issues/1/notes`, {
      token: T.reporter,
      method: "POST",
      json: { body: "plain comment" },
    });
    const list = await api(gl.url, issueThreads(), { token: T.reporter });
    expect(list.status).toBe(200);
    expect(list.headers.get("x-total")).toBe("1");
    const [standalone] = list.data;
    expect(standalone).toMatchObject({ individual_note: true, notes: [{ id: comment.data.id, type: null }] });

    const reply = await api(gl.url, `${issueThreads()}/${standalone.id}/notes`, {
      token: T.maintainer,
      method: "POST",
      json: { body: "reply" },
    });
    expect(reply.status).toBe(201);
    const after = await api(gl.url, `${issueThreads()}/${standalone.id}`, { token: T.reporter });
    expect(after.data.individual_note).toBe(false);
    expect(after.data.notes.map((n: { type: string; body: string }) => [n.type, n.body])).toEqual([
      ["DiscussionNote", "plain comment"],
      ["DiscussionNote", "reply"],
    ]);
  });

  it("refuses replies to system notes (400) and answers 404 for an unknown discussion or a note of another thread", async () => {
    await gl.sim.setLabels(seed.projectId, "issue", 1, ["bug"], { userId: seed.users.alice });
    const system = (await api(gl.url, issueThreads(), { token: T.reporter })).data.find(
      (d: { notes: { system: boolean }[] }) => d.notes[0]!.system,
    );
    expect(system).toBeDefined();
    const refused = await api(gl.url, `${issueThreads()}/${system.id}/notes`, {
      token: T.reporter,
      method: "POST",
      json: { body: "x" },
    });
    expect(refused.status).toBe(400);
    expect(refused.data).toEqual({ message: "400 Bad request - Discussion can not be replied to." });

    const unknown = "0".repeat(40);
    expect((await api(gl.url, `${issueThreads()}/${unknown}`, { token: T.reporter })).data).toEqual({
      message: "404 Discussion Not Found",
    });
    const noReply = await api(gl.url, `${issueThreads()}/${unknown}/notes`, {
      token: T.reporter,
      method: "POST",
      json: { body: "x" },
    });
    expect(noReply.status).toBe(404);
    expect(noReply.data).toEqual({ message: "404 Discussion Not Found" });
    const missingBody = await api(gl.url, issueThreads(), { token: T.reporter, method: "POST", json: {} });
    expect(missingBody.data).toEqual({ error: "body is missing" });

    const a = await api(gl.url, issueThreads(), { token: T.reporter, method: "POST", json: { body: "a" } });
    const b = await api(gl.url, issueThreads(), { token: T.reporter, method: "POST", json: { body: "b" } });
    const crossed = await api(gl.url, `${issueThreads()}/${a.data.id}/notes/${b.data.notes[0].id}`, {
      token: T.reporter,
    });
    expect(crossed.status).toBe(404);
    expect((await api(gl.url, issueThreads())).status).toBe(401);
  });

  it("makes merge request threads resolvable and edits a thread note with an update Note Hook", async () => {
    const started = await api(gl.url, mrThreads(), {
      token: T.maintainer,
      method: "POST",
      json: { body: "Ship it?" },
    });
    expect(started.data.notes[0]).toMatchObject({
      type: "DiscussionNote",
      noteable_type: "MergeRequest",
      resolvable: true,
      resolved: false,
      resolved_by: null,
    });
    const noteId = started.data.notes[0].id;
    const edited = await api(gl.url, `${mrThreads()}/${started.data.id}/notes/${noteId}`, {
      token: T.maintainer,
      method: "PUT",
      json: { body: "Ship it!" },
    });
    expect(edited.status).toBe(200);
    expect(edited.data.body).toBe("Ship it!");
    const foreign = await api(gl.url, `${mrThreads()}/${started.data.id}/notes/${noteId}`, {
      token: T.reporter,
      method: "PUT",
      json: { body: "hijack" },
    });
    expect(foreign.status).toBe(403);
    await gl.sim.settle();
    const hooks = rx.received.map((r) => r.json);
    expect(hooks.map((h) => [h.object_attributes.action, h.object_attributes.note])).toEqual([
      ["create", "Ship it?"],
      ["update", "Ship it!"],
    ]);
    expect(
      hooks.every(
        (h) => h.object_attributes.id === noteId && h.object_attributes.discussion_id === started.data.id,
      ),
    ).toBe(true);
    expect(hooks[0].object_attributes.type).toBe("DiscussionNote");
    expect(hooks[0].merge_request).toMatchObject({ iid: 1 });
  });

  it("keeps a reply internal when the thread is internal: Confidential Note Hook, hidden from guests", async () => {
    const internal = await api(gl.url, `/projects/${seed.projectId}/issues/1/notes`, {
      token: T.maintainer,
      method: "POST",
      json: { body: "internal", internal: true },
    });
    const discussionId = (await api(gl.url, issueThreads(), { token: T.maintainer })).data[0].id;
    const reply = await api(gl.url, `${issueThreads()}/${discussionId}/notes`, {
      token: T.maintainer,
      method: "POST",
      json: { body: "still internal" },
    });
    expect(reply.data).toMatchObject({ internal: true, confidential: true });
    await gl.sim.settle();
    expect(rx.received.map((r) => r.headers["x-gitlab-event"])).toEqual([
      "Confidential Note Hook",
      "Confidential Note Hook",
    ]);
    expect(rx.received[1]!.json.object_attributes).toMatchObject({
      internal: true,
      discussion_id: discussionId,
      type: "DiscussionNote",
    });
    const guest = gl.sim.createToken({
      name: "guest bot",
      scopes: ["api"],
      projects: [{ id: seed.projectId, access_level: 10 }],
    });
    expect((await api(gl.url, issueThreads(), { token: guest.value })).data).toEqual([]);
    expect((await api(gl.url, `${issueThreads()}/${discussionId}`, { token: guest.value })).status).toBe(404);
    expect(internal.status).toBe(201);
  });
});

describe("threads through the control API", () => {
  it("comments as a named user, starts a thread, replies in it and lists the discussions", async () => {
    const base = `${gl.url}/_sim/projects/${encodeURIComponent(DEMO_PROJECT_PATH)}/issues/2`;
    const post = (json: unknown) =>
      fetch(`${base}/notes`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(json),
      });
    const thread = await (await post({ body: "@flagpost status", author: "bob", thread: true })).json();
    expect(thread.note).toMatchObject({ type: "DiscussionNote", author: { username: "bob" } });
    const discussionId = thread.deliveries[0].request.payload.object_attributes.discussion_id;
    expect(discussionId).toMatch(SHA1);
    const reply = await (
      await post({
        body: "fast_cart is on in staging",
        author_id: seed.users.alice,
        discussion_id: discussionId,
      })
    ).json();
    expect(reply.deliveries[0].request.payload.object_attributes).toMatchObject({
      discussion_id: discussionId,
      author_id: seed.users.alice,
    });
    const unknownUser = await post({ body: "x", author: "nobody" });
    expect(unknownUser.status).toBe(400);

    const listed = gl.sim.discussions(seed.projectId, "issue", 2);
    const ours = listed.find((d) => d.id === discussionId);
    expect(ours?.notes.map((n) => n.body)).toEqual(["@flagpost status", "fast_cart is on in staging"]);
    const overHttp = await (await fetch(`${base}/discussions`)).json();
    expect(overHttp).toEqual(listed);
  });
});
