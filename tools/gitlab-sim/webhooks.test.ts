import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_PROJECT_PATH, DEMO_TOKENS, type DemoSeed } from "./seed";
import { type GitLabSimulator, startGitLabSimulator } from "./server";
import { api, type Receiver, startReceiver } from "./test-helpers";

const fixture = (name: string) =>
  JSON.parse(
    readFileSync(path.resolve(import.meta.dirname, "../../tests/fixtures/gitlab-webhooks", name), "utf8"),
  );
const keys = (o: object) => Object.keys(o).sort();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

let gl: GitLabSimulator;
let seed: DemoSeed;
let rx: Receiver;
let hookId: number;
const T = DEMO_TOKENS;

beforeAll(async () => {
  gl = await startGitLabSimulator({ port: 0 });
  rx = await startReceiver();
});
beforeEach(() => {
  seed = gl.sim.seedDemo();
  hookId = gl.sim.registerHook(seed.projectId, {
    url: rx.url,
    token: "hook-secret",
    issues_events: true,
    merge_requests_events: true,
    note_events: true,
  }).id;
  rx.clear();
  rx.status = 200;
});
afterAll(async () => {
  await gl.close();
  await rx.close();
});

describe("webhook delivery", () => {
  it("delivers an issue close with GitLab's headers and a modern body", async () => {
    const [delivery] = await gl.sim.issueAction(seed.projectId, 1, "close", {}, { userId: seed.users.alice });
    expect(delivery?.success).toBe(true);
    expect(rx.received).toHaveLength(1);
    const { headers, json } = rx.received[0]!;
    expect(headers["content-type"]).toBe("application/json");
    expect(headers["user-agent"]).toBe("GitLab/18.6.0");
    expect(headers["x-gitlab-event"]).toBe("Issue Hook");
    expect(headers["x-gitlab-token"]).toBe("hook-secret");
    expect(headers["x-gitlab-instance"]).toBe(new URL(gl.url).origin);
    expect(headers["x-gitlab-event-uuid"]).toMatch(UUID);
    expect(headers["x-gitlab-webhook-uuid"]).toMatch(UUID);
    expect(headers["idempotency-key"]).toMatch(UUID);

    const real = fixture("work_item_task_close.json");
    expect(keys(json)).toEqual(keys(real));
    expect(keys(json.object_attributes)).toEqual(keys(real.object_attributes));
    expect(keys(json.project)).toEqual(keys(real.project));
    expect(json).toMatchObject({
      object_kind: "issue",
      event_type: "issue",
      user: { id: seed.users.alice, username: "alice", name: "Alice Maintainer", email: "[REDACTED]" },
      project: {
        id: seed.projectId,
        name: "Flags Demo",
        path_with_namespace: DEMO_PROJECT_PATH,
        web_url: `${gl.url}/${DEMO_PROJECT_PATH}`,
        namespace: "Platform",
      },
      object_attributes: {
        iid: 1,
        project_id: seed.projectId,
        state: "closed",
        state_id: 2,
        action: "close",
        type: "Issue",
        url: `${gl.url}/${DEMO_PROJECT_PATH}/-/issues/1`,
        updated_by_id: seed.users.alice,
      },
      repository: { name: "Flags Demo" },
    });
    expect(json.object_attributes.closed_at).toMatch(ISO);
    expect(json.changes.state_id).toEqual({ previous: 1, current: 2 });
    expect(json.changes.closed_at).toEqual({ previous: null, current: json.object_attributes.closed_at });
    expect(json.labels.map((l: { title: string }) => l.title).sort()).toEqual(["backend", "feature"]);
    expect(json.labels[0]).toMatchObject({
      type: "ProjectLabel",
      template: false,
      project_id: seed.projectId,
    });
    expect(json.assignees[0]).toMatchObject({ username: "bob" });

    const record = gl.sim.deliveries({ hookId })[0]!;
    expect(record.response?.status).toBe(200);
    expect(record.request.headers["Idempotency-Key"]).toBe(headers["idempotency-key"]);
  });

  it("keeps Idempotency-Key on resend, with a new webhook UUID", async () => {
    const [first] = await gl.sim.issueAction(seed.projectId, 1, "update", { add_labels: ["bug"] });
    const again = await gl.sim.resendDelivery(first!.id);
    expect(again.resentFrom).toBe(first!.id);
    const [a, b] = rx.received;
    expect(b!.headers["idempotency-key"]).toBe(a!.headers["idempotency-key"]);
    expect(b!.headers["x-gitlab-webhook-uuid"]).not.toBe(a!.headers["x-gitlab-webhook-uuid"]);
    expect(b!.body).toBe(a!.body);
    // A different event to the same hook gets a different key.
    await gl.sim.issueAction(seed.projectId, 1, "close");
    expect(rx.received[2]!.headers["idempotency-key"]).not.toBe(a!.headers["idempotency-key"]);
  });

  it("delivers an MR merge", async () => {
    await gl.sim.mergeRequestAction(seed.projectId, 1, "merge", {}, { userId: seed.users.alice });
    const { headers, json } = rx.received[0]!;
    expect(headers["x-gitlab-event"]).toBe("Merge Request Hook");
    const real = fixture("mr_update_draft.json");
    expect(keys(json.object_attributes)).toEqual(expect.arrayContaining(keys(real.object_attributes)));
    expect(json).toMatchObject({
      object_kind: "merge_request",
      event_type: "merge_request",
      object_attributes: {
        iid: 1,
        action: "merge",
        state: "merged",
        state_id: 3,
        merge_user_id: seed.users.alice,
        draft: false,
        work_in_progress: false,
        detailed_merge_status: "not_open",
        source_branch: "feature/flag-evaluation",
        target_branch: "main",
        url: `${gl.url}/${DEMO_PROJECT_PATH}/-/merge_requests/1`,
      },
      changes: { state_id: { previous: 4, current: 3 } },
    });
    expect(json.object_attributes.merge_commit_sha).toMatch(/^[0-9a-f]{40}$/);
    expect(json.reviewers[0]).toMatchObject({ username: "alice" });
    expect(gl.sim.getMergeRequest(seed.projectId, 1)).toMatchObject({
      state: "merged",
      merge_user: { username: "alice" },
    });
  });

  it("delivers draft and ready as update with changes.draft and the title prefix", async () => {
    await gl.sim.markDraft(seed.projectId, 1, true);
    const draft = rx.received[0]!.json;
    expect(draft.object_attributes).toMatchObject({
      action: "update",
      draft: true,
      work_in_progress: true,
      title: "Draft: Add flag evaluation endpoint",
      detailed_merge_status: "draft_status",
    });
    expect(draft.changes.draft).toEqual({ previous: false, current: true });
    expect(draft.changes.title).toEqual({
      previous: "Add flag evaluation endpoint",
      current: "Draft: Add flag evaluation endpoint",
    });
    await gl.sim.markDraft(seed.projectId, 1, false);
    const ready = rx.received[1]!.json;
    expect(ready.object_attributes).toMatchObject({
      action: "update",
      draft: false,
      title: "Add flag evaluation endpoint",
      detailed_merge_status: "mergeable",
    });
    expect(ready.changes.draft).toEqual({ previous: true, current: false });
  });

  it("sends confidential issues only to hooks with confidential_issues_events", async () => {
    const none = await gl.sim.issueAction(seed.projectId, 4, "close");
    expect(none).toEqual([]);
    expect(rx.received).toHaveLength(0);
    gl.sim.registerHook(seed.projectId, {
      url: rx.url,
      confidential_issues_events: true,
      push_events: false,
    });
    await gl.sim.issueAction(seed.projectId, 4, "reopen");
    expect(rx.received).toHaveLength(1);
    const { headers, json } = rx.received[0]!;
    expect(headers["x-gitlab-event"]).toBe("Confidential Issue Hook");
    expect(headers["x-gitlab-token"]).toBeUndefined();
    expect(json).toMatchObject({
      object_kind: "issue",
      event_type: "confidential_issue",
      object_attributes: { confidential: true, action: "reopen", state: "opened" },
    });
    expect(json.changes.state_id).toEqual({ previous: 2, current: 1 });
  });

  it("delivers task work items as Issue Hook with object_kind work_item", async () => {
    await gl.sim.issueAction(seed.projectId, 3, "close");
    const { headers, json } = rx.received[0]!;
    expect(headers["x-gitlab-event"]).toBe("Issue Hook");
    expect(json).toMatchObject({
      object_kind: "work_item",
      event_type: "work_item",
      object_attributes: {
        iid: 3,
        type: "Task",
        action: "close",
        url: `${gl.url}/${DEMO_PROJECT_PATH}/-/work_items/3`,
        status: { category: "done" },
      },
    });
  });

  it("produces legacy (GitLab 10.x) payloads on request", async () => {
    await gl.sim.issueAction(seed.projectId, 1, "close", {}, { payloadStyle: "legacy" });
    gl.sim.setPayloadStyle("legacy");
    await gl.sim.mergeRequestAction(seed.projectId, 2, "update", { title: "Draft: Percentage rollouts" });
    gl.sim.setPayloadStyle("modern");
    const issue = rx.received[0]!.json;
    expect(issue).not.toHaveProperty("event_type");
    expect(issue.project).not.toHaveProperty("id");
    expect(issue.user).not.toHaveProperty("email");
    expect(issue.object_attributes.url).toBe(`${gl.url}/${DEMO_PROJECT_PATH}/issues/1`);
    expect(issue.object_attributes).not.toHaveProperty("state_id");
    expect(issue.object_attributes.updated_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
    expect(issue.changes.state).toEqual({ previous: "opened", current: "closed" });
    expect(keys(issue.object_attributes)).toEqual(keys(fixture("issue_close.json").object_attributes));
    const mr = rx.received[1]!.json;
    expect(mr.object_attributes.work_in_progress).toBe(true);
    expect(mr.object_attributes).not.toHaveProperty("draft");
    expect(mr.object_attributes.url).toBe(`${gl.url}/${DEMO_PROJECT_PATH}/merge_requests/2`);
    expect(keys(mr.object_attributes)).toEqual(keys(fixture("mr_merge.json").object_attributes));
    const { deliveries } = await gl.sim.addNote(
      seed.projectId,
      "issue",
      1,
      { body: "old-style", author_id: seed.users.bob },
      { payloadStyle: "legacy" },
    );
    const note = deliveries[0]!.request.payload as Record<string, any>;
    const { action: _ignored, ...docsNote } = fixture("note_issue.json").object_attributes;
    expect(keys(note.object_attributes)).toEqual(keys(docsNote));
    expect(note.object_attributes.url).toBe(
      `${gl.url}/${DEMO_PROJECT_PATH}/issues/1#note_${note.object_attributes.id}`,
    );
    expect(note).not.toHaveProperty("event_type");
  });

  it("fires an update hook authored by the token's bot when labels are added through the API", async () => {
    const r = await api(gl.url, `/projects/${seed.projectId}/issues/1`, {
      token: T.maintainer,
      method: "PUT",
      json: { add_labels: "flag:new_checkout" },
    });
    expect(r.status).toBe(200);
    await gl.sim.settle();
    expect(rx.received).toHaveLength(1);
    const json = rx.received[0]!.json;
    const bot = gl.sim.getUser(seed.botUsernames.maintainer)!;
    expect(json.user).toMatchObject({ id: bot.id, username: seed.botUsernames.maintainer });
    expect(json.object_attributes).toMatchObject({ action: "update", updated_by_id: bot.id });
    expect(json.changes.labels.previous.map((l: { title: string }) => l.title).sort()).toEqual([
      "backend",
      "feature",
    ]);
    expect(json.changes.labels.current.map((l: { title: string }) => l.title).sort()).toEqual([
      "backend",
      "feature",
      "flag:new_checkout",
    ]);
    expect(json.changes.updated_by_id).toEqual({ previous: null, current: bot.id });
  });

  it("fires Note Hooks for API notes, Confidential Note Hook for confidential issues", async () => {
    const hook2 = gl.sim.registerHook(seed.projectId, {
      url: `${rx.url}?c=1`,
      confidential_note_events: true,
      push_events: false,
    });
    const created = await api(gl.url, `/projects/${seed.projectId}/issues/1/notes`, {
      token: T.reporter,
      method: "POST",
      json: { body: "Flag linked" },
    });
    await api(gl.url, `/projects/${seed.projectId}/issues/1/notes/${created.data.id}`, {
      token: T.reporter,
      method: "PUT",
      json: { body: "Flag linked (edited)" },
    });
    await api(gl.url, `/projects/${seed.projectId}/issues/4/notes`, {
      token: T.reporter,
      method: "POST",
      json: { body: "secret" },
    });
    await gl.sim.settle();
    const plain = gl.sim.deliveries({ hookId, event: "Note Hook" });
    expect(plain.map((d) => d.action)).toEqual(["create", "update"]);
    const note = plain[0]!.request.payload as Record<string, any>;
    expect(note).toMatchObject({
      object_kind: "note",
      event_type: "note",
      project_id: seed.projectId,
      user: { username: seed.botUsernames.reporter },
      object_attributes: {
        note: "Flag linked",
        noteable_type: "Issue",
        action: "create",
        url: `${gl.url}/${DEMO_PROJECT_PATH}/-/issues/1#note_${created.data.id}`,
      },
      issue: { iid: 1 },
    });
    expect(gl.sim.deliveries({ hookId }).some((d) => d.event === "Confidential Note Hook")).toBe(false);
    const conf = gl.sim.deliveries({ hookId: hook2.id });
    expect(conf.map((d) => d.event)).toEqual(["Confidential Note Hook"]);
    expect((conf[0]!.request.payload as Record<string, any>).event_type).toBe("confidential_note");
  });

  it("blocks the same hook when a webhook consumer calls back with X-Gitlab-Event-UUID", async () => {
    await gl.sim.issueAction(seed.projectId, 1, "close");
    const uuid = rx.received[0]!.headers["x-gitlab-event-uuid"] as string;
    await api(gl.url, `/projects/${seed.projectId}/issues/1`, {
      token: T.maintainer,
      method: "PUT",
      json: { add_labels: "echo" },
      headers: { "X-Gitlab-Event-UUID": uuid },
    });
    await gl.sim.settle();
    expect(rx.received).toHaveLength(1);
    const blocked = gl.sim.deliveries({ hookId }).at(-1)!;
    expect(blocked).toMatchObject({
      blocked: true,
      success: false,
      error: "Recursive webhook blocked",
      eventUuid: uuid,
    });
  });

  it("records failures, treats 3xx as delivered and supports async mode", async () => {
    rx.status = 500;
    const [failed] = await gl.sim.issueAction(seed.projectId, 1, "update", { title: "x" });
    expect(failed).toMatchObject({ success: false, response: { status: 500 } });
    rx.status = 302;
    const [redirected] = await gl.sim.issueAction(seed.projectId, 1, "update", { title: "y" });
    expect(redirected).toMatchObject({ success: true, response: { status: 302 } });
    rx.status = 200;
    const none = await gl.sim.issueAction(seed.projectId, 1, "update", { title: "z" }, { deliver: "async" });
    expect(none).toEqual([]);
    await gl.sim.settle();
    expect(rx.received).toHaveLength(3);
    const dead = gl.sim.registerHook(seed.projectId, {
      url: "http://127.0.0.1:9/nothing",
      issues_events: true,
    });
    const results = await gl.sim.issueAction(seed.projectId, 1, "close");
    const refused = results.find((d) => d.hookId === dead.id);
    expect(refused?.success).toBe(false);
    expect(refused?.error).toBeTruthy();
  });

  it("exposes the same operations over HTTP under /_sim", async () => {
    const res = await fetch(
      `${gl.url}/_sim/projects/${encodeURIComponent(DEMO_PROJECT_PATH)}/issues/1/actions`,
      {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ action: "close" }),
      },
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { deliveries: { event: string; success: boolean }[] };
    expect(body.deliveries).toMatchObject([{ event: "Issue Hook", success: true }]);
    const list = (await (await fetch(`${gl.url}/_sim/deliveries?hookId=${hookId}`)).json()) as unknown[];
    expect(list).toHaveLength(1);
    const bad = await fetch(`${gl.url}/_sim/faults`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ count: 1 }),
    });
    expect(bad.status).toBe(400);
  });
});
