import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_PROJECT_PATH, type DemoSeed } from "./seed";
import { type GitLabSimulator, startGitLabSimulator } from "./server";
import { type Receiver, startReceiver } from "./test-helpers";

const fixture = (name: string) =>
  JSON.parse(
    readFileSync(path.resolve(import.meta.dirname, "../../tests/fixtures/gitlab-webhooks", name), "utf8"),
  );
const RAILS_UTC = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/;

let gl: GitLabSimulator;
let seed: DemoSeed;
let rx: Receiver;
let noteHookId: number;
let issuesOnlyHookId: number;

beforeAll(async () => {
  gl = await startGitLabSimulator({ port: 0 });
  rx = await startReceiver();
});
beforeEach(() => {
  seed = gl.sim.seedDemo();
  noteHookId = gl.sim.registerHook(seed.projectId, {
    url: `${rx.url}?notes`,
    token: "note-secret",
    note_events: true,
    push_events: false,
  }).id;
  issuesOnlyHookId = gl.sim.registerHook(seed.projectId, {
    url: `${rx.url}?issues`,
    token: "issue-secret",
    issues_events: true,
    push_events: false,
  }).id;
  rx.clear();
});
afterAll(async () => {
  await gl.close();
  await rx.close();
});

describe("Note Hook deliveries", () => {
  it("delivers 'user X comments T on issue Y' with GitLab's Note Hook shape, to note_events hooks only", async () => {
    const { note, deliveries } = await gl.sim.addNote(seed.projectId, "issue", 1, {
      body: "@flagpost enable fast_cart in staging",
      author: "bob",
    });
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({
      hookId: noteHookId,
      event: "Note Hook",
      objectKind: "note",
      action: "create",
      success: true,
    });
    expect(gl.sim.deliveries({ hookId: issuesOnlyHookId })).toEqual([]);
    const [received] = rx.received;
    expect(received!.url).toContain("?notes");
    expect(received!.headers["x-gitlab-event"]).toBe("Note Hook");
    expect(received!.headers["x-gitlab-token"]).toBe("note-secret");
    const body = received!.json;
    expect(body).toMatchObject({
      object_kind: "note",
      event_type: "note",
      user: { id: seed.users.bob, username: "bob" },
      project_id: seed.projectId,
      project: { id: seed.projectId, path_with_namespace: DEMO_PROJECT_PATH },
      object_attributes: {
        id: note.id,
        note: "@flagpost enable fast_cart in staging",
        noteable_type: "Issue",
        noteable_id: gl.sim.getIssue(seed.projectId, 1)!.id,
        author_id: seed.users.bob,
        internal: false,
        system: false,
        type: null,
        action: "create",
        url: `${gl.url}/${DEMO_PROJECT_PATH}/-/issues/1#note_${note.id}`,
      },
      issue: { iid: 1, id: gl.sim.getIssue(seed.projectId, 1)!.id },
    });
    expect(body).not.toHaveProperty("merge_request");
    expect(body.object_attributes.discussion_id).toMatch(/^[0-9a-f]{40}$/);
    expect(body.object_attributes.created_at).toMatch(RAILS_UTC);
    // Every key of a real gitlab.com note capture is there, plus `internal` and `action` of newer versions.
    const real = fixture("note_confidential_issue.json").object_attributes;
    expect(Object.keys(body.object_attributes).sort()).toEqual(
      [...Object.keys(real), "internal", "action"].sort(),
    );
  });

  it("delivers an edit as action update with the same note id, and comments on merge requests with the MR", async () => {
    const { note } = await gl.sim.addNote(seed.projectId, "merge_request", 1, {
      body: "v1",
      author_id: seed.users.alice,
    });
    const { deliveries } = await gl.sim.editNote(seed.projectId, "merge_request", 1, note.id, { body: "v2" });
    expect(deliveries[0]!.action).toBe("update");
    const [created, updated] = rx.received.map((r) => r.json);
    expect(created.merge_request).toMatchObject({ iid: 1 });
    expect(created).not.toHaveProperty("issue");
    expect(updated.object_attributes).toMatchObject({
      id: note.id,
      note: "v2",
      action: "update",
      updated_by_id: seed.users.alice,
    });
    expect(updated.user.id).toBe(seed.users.alice);
    await expect(
      gl.sim.editNote(seed.projectId, "issue", 1, note.id, { body: "wrong item" }),
    ).rejects.toThrow(/unknown note/);
  });

  it("sends internal notes as Confidential Note Hook, only to hooks with confidential_note_events", async () => {
    const confidentialHook = gl.sim.registerHook(seed.projectId, {
      url: `${rx.url}?confidential`,
      confidential_note_events: true,
      push_events: false,
    });
    const { deliveries } = await gl.sim.addNote(seed.projectId, "issue", 1, {
      body: "internal",
      internal: true,
    });
    expect(deliveries.map((d) => [d.hookId, d.event])).toEqual([
      [confidentialHook.id, "Confidential Note Hook"],
    ]);
    expect(rx.received[0]!.json).toMatchObject({
      event_type: "confidential_note",
      object_attributes: { internal: true },
    });
  });

  it("omits object_attributes.action before GitLab 16.11", async () => {
    gl.sim.setVersion("16.10.0");
    try {
      const { deliveries } = await gl.sim.addNote(seed.projectId, "issue", 1, { body: "old" });
      expect(deliveries[0]!.action).toBeNull();
      expect(rx.received[0]!.json.object_attributes).not.toHaveProperty("action");
      gl.sim.setVersion("16.11.0");
      await gl.sim.addNote(seed.projectId, "issue", 1, { body: "new" });
      expect(rx.received[1]!.json.object_attributes.action).toBe("create");
    } finally {
      gl.sim.setVersion("18.6.0");
    }
  });

  it("edits a comment over the control API", async () => {
    const url = `${gl.url}/_sim/projects/${seed.projectId}/issues/1/notes`;
    const created = await (
      await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ body: "first", author: "carol" }),
      })
    ).json();
    const res = await fetch(`${url}/${created.note.id}`, {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ body: "second" }),
    });
    expect(res.status).toBe(200);
    const edited = await res.json();
    expect(edited.note.body).toBe("second");
    expect(edited.deliveries[0].request.payload.object_attributes).toMatchObject({
      action: "update",
      author_id: seed.users.carol,
    });
  });
});

describe("merge request hooks from the control API", () => {
  it("delivers close with action close and merge with action merge", async () => {
    gl.sim.registerHook(seed.projectId, {
      url: `${rx.url}?mr`,
      merge_requests_events: true,
      push_events: false,
    });
    const opened = gl.sim.createMergeRequest(seed.projectId, {
      title: "Enable fast cart",
      author_id: seed.users.bob,
    });
    const [closed] = await gl.sim.mergeRequestAction(
      seed.projectId,
      opened.iid,
      "close",
      {},
      { userId: seed.users.alice },
    );
    expect(closed).toMatchObject({ event: "Merge Request Hook", action: "close" });
    expect(closed!.request.payload).toMatchObject({
      object_attributes: { state: "closed", action: "close" },
      changes: { state_id: { previous: 1, current: 2 } },
    });
    const other = gl.sim.createMergeRequest(seed.projectId, {
      title: "Enable slow cart",
      author_id: seed.users.bob,
    });
    const [merged] = await gl.sim.mergeRequestAction(
      seed.projectId,
      other.iid,
      "merge",
      {},
      { userId: seed.users.alice },
    );
    expect(merged!.request.payload).toMatchObject({
      object_attributes: { state: "merged", action: "merge", merge_user_id: seed.users.alice },
    });
    expect(() => gl.sim.mergeRequestAction(seed.projectId, opened.iid, "merge")).toThrow(
      /cannot merge merge request .* in state closed/,
    );
  });

  it('reverts a merged MR like GitLab\'s Revert button: a new MR `Revert "…"` (open, then merge hooks)', async () => {
    gl.sim.registerHook(seed.projectId, {
      url: `${rx.url}?mr`,
      merge_requests_events: true,
      push_events: false,
    });
    const mr = gl.sim.createMergeRequest(seed.projectId, {
      title: "Enable fast cart ",
      author_id: seed.users.bob,
    });
    await gl.sim.mergeRequestAction(seed.projectId, mr.iid, "merge", {}, { userId: seed.users.alice });
    rx.clear();
    const res = await fetch(`${gl.url}/_sim/projects/${seed.projectId}/merge_requests/${mr.iid}/revert`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ merge: true, userId: seed.users.carol }),
    });
    expect(res.status).toBe(201);
    const reverted = await res.json();
    expect(reverted.merge_request).toMatchObject({
      title: 'Revert "Enable fast cart"',
      description: `This reverts merge request !${mr.iid}`,
      source_branch: `revert-${reverted.commit_sha.slice(0, 8)}`,
      target_branch: "main",
      state: "merged",
      author: { username: "carol" },
    });
    expect(reverted.deliveries.map((d: { action: string }) => d.action)).toEqual(["open", "merge"]);
    // GitLab opens the revert merge request first: its open hook says "opened", the merge hook "merged".
    expect(rx.received.map((r) => [r.json.object_attributes.action, r.json.object_attributes.state])).toEqual(
      [
        ["open", "opened"],
        ["merge", "merged"],
      ],
    );
    expect(rx.received.every((r) => r.json.object_attributes.iid === reverted.merge_request.iid)).toBe(true);
    // The original MR stays merged and only gains a cross-reference system note.
    expect(gl.sim.getMergeRequest(seed.projectId, mr.iid)?.state).toBe("merged");
    expect(gl.sim.notes(seed.projectId, "merge_request", mr.iid).at(-1)).toMatchObject({
      system: true,
      body: `mentioned in merge request !${reverted.merge_request.iid}`,
    });

    const direct = await gl.sim.revertMergeRequest(seed.projectId, mr.iid, { mode: "direct" });
    expect(direct).toMatchObject({ merge_request: null, deliveries: [] });
    expect(gl.sim.notes(seed.projectId, "merge_request", mr.iid).at(-1)?.body).toBe(
      `mentioned in commit ${direct.commit_sha}`,
    );
    const open = gl.sim.createMergeRequest(seed.projectId, {
      title: "Not merged",
      author_id: seed.users.bob,
    });
    await expect(gl.sim.revertMergeRequest(seed.projectId, open.iid)).rejects.toThrow(/is not merged/);
  });
});
