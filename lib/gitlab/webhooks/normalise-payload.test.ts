import { describe, expect, it } from "vitest";
import { cleanText, normaliseDelivery, parseGitLabTime } from "@/lib/gitlab/webhooks/normalise-payload";

const INSTANCE = "https://gitlab.example.com";

function body(attrs: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    object_kind: "merge_request",
    user: { id: 5, username: "alice", name: "Alice", avatar_url: null },
    project: { id: 77, path_with_namespace: "acme/web" },
    object_attributes: {
      iid: 4,
      title: "Feature",
      state: "opened",
      updated_at: "2026-01-02T03:04:05.678Z",
      author_id: 5,
      ...attrs,
    },
    ...extra,
  });
}

const mr = (attrs: Record<string, unknown>, extra?: Record<string, unknown>) =>
  normaliseDelivery("Merge Request Hook", body(attrs, extra), { instanceUrl: INSTANCE });
const itemOf = (delivery: ReturnType<typeof normaliseDelivery>) => {
  if (delivery.outcome !== "item")
    throw new Error(
      `expected an item, got ${delivery.outcome}: ${"reason" in delivery ? delivery.reason : ""}`,
    );
  return delivery.item;
};

describe("GitLab timestamps", () => {
  it.each([
    ["2013-12-03T17:15:43Z", "2013-12-03T17:15:43.000Z", false],
    ["2018-09-15 19:05:12 UTC", "2018-09-15T19:05:12.000Z", false],
    ["2026-05-28T06:17:50.385Z", "2026-05-28T06:17:50.385Z", true],
    ["2017-12-10T08:28:36-08:00", "2017-12-10T16:28:36.000Z", false],
    ["2017-12-10T08:28:36+0530", "2017-12-10T02:58:36.000Z", false],
    ["2026-05-28T06:17:50.385123456Z", "2026-05-28T06:17:50.385Z", true],
    ["2018-09-15 19:05:12", "2018-09-15T19:05:12.000Z", false],
  ])("%s", (text, iso, hasMillis) => {
    expect(parseGitLabTime(text)).toEqual({ date: new Date(iso), hasMillis });
  });

  it.each([
    "yesterday",
    "2015-04-08T21: 00:25-07:00",
    "2026-02-30T00:00:00Z",
    "2026-01-01T24:00:00Z",
    "",
    "1700000000",
  ])("refuses %j", (text) => {
    expect(parseGitLabTime(text)).toBeNull();
  });
});

describe("normalising deliveries", () => {
  it("reads a modern merge request", () => {
    const delivery = mr(
      { action: "update", draft: true, labels: [{ title: "backend" }] },
      {
        labels: [{ title: "backend" }, { title: "backend" }],
        assignees: [{ id: 9, username: "bob", name: "Bob" }],
      },
    );
    expect(delivery).toMatchObject({
      event: "Merge Request Hook",
      objectKind: "merge_request",
      action: "update",
      itemRef: "acme/web!4",
    });
    expect(itemOf(delivery)).toEqual({
      type: "GITLAB_MR",
      gitlabProjectId: 77,
      projectPath: "acme/web",
      iid: 4,
      ref: "acme/web!4",
      state: "opened",
      draft: true,
      title: "Feature",
      labels: ["backend"],
      assignees: [{ id: 9, username: "bob", name: "Bob", avatar_url: null }],
      author: { id: 5, username: "alice", name: "Alice", avatar_url: null },
      updatedAt: new Date("2026-01-02T03:04:05.678Z"),
      updatedAtHasMillis: true,
      closedAt: null,
    });
  });

  it("maps states by state, state_id and action, with merge winning over a transient locked", () => {
    expect(itemOf(mr({ action: "merge", state: "locked" })).state).toBe("merged");
    expect(itemOf(mr({ state: "locked" })).state).toBe("opened");
    expect(itemOf(mr({ state: undefined, state_id: 3 })).state).toBe("merged");
    expect(itemOf(mr({ state: undefined, action: "close" })).state).toBe("closed");
    expect(mr({ state: "weird" })).toMatchObject({
      outcome: "invalid",
      reason: expect.stringMatching(/"weird" is not a merge request state/),
    });
    expect(mr({ state: undefined, action: "approved" })).toMatchObject({
      outcome: "invalid",
      reason: expect.stringMatching(/does not say the item's state/),
    });
  });

  it("reads draft from draft, then work_in_progress, then the title", () => {
    expect(itemOf(mr({ draft: false, work_in_progress: true })).draft).toBe(false);
    expect(itemOf(mr({ work_in_progress: true })).draft).toBe(true);
    expect(itemOf(mr({ title: "Draft: thing" })).draft).toBe(true);
    expect(itemOf(mr({ title: "[WIP] thing" })).draft).toBe(true);
    expect(itemOf(mr({ title: "Drafting a plan" })).draft).toBe(false);
  });

  it("uses the close or merge event's updated_at as the closing time when the body has none", () => {
    expect(itemOf(mr({ action: "merge", state: "merged" })).closedAt).toEqual(
      new Date("2026-01-02T03:04:05.678Z"),
    );
    expect(itemOf(mr({ action: "update", state: "merged" })).closedAt).toBeNull();
    expect(
      itemOf(mr({ action: "close", state: "closed", closed_at: "2026-01-01 00:00:00 UTC" })).closedAt,
    ).toEqual(new Date("2026-01-01T00:00:00Z"));
  });

  it("finds the project from target_project_id, then the URL in any form", () => {
    expect(
      itemOf(mr({ target_project_id: 88 }, { project: { path_with_namespace: "acme/web" } })).gitlabProjectId,
    ).toBe(88);
    const fromLegacyUrl = itemOf(mr({ url: `${INSTANCE}/group/sub/app/merge_requests/4` }, { project: {} }));
    expect(fromLegacyUrl).toMatchObject({
      gitlabProjectId: null,
      projectPath: "group/sub/app",
      ref: "group/sub/app!4",
    });
    const fromWorkItem = normaliseDelivery(
      "Issue Hook",
      JSON.stringify({
        object_kind: "work_item",
        project: {},
        object_attributes: {
          iid: 8,
          project_id: null,
          state: "closed",
          type: "Task",
          url: `${INSTANCE}/acme/web/-/work_items/8`,
        },
      }),
      { instanceUrl: INSTANCE },
    );
    expect(itemOf(fromWorkItem)).toMatchObject({
      type: "GITLAB_ISSUE",
      projectPath: "acme/web",
      iid: 8,
      state: "closed",
    });
    expect(mr({ url: "https://elsewhere.example/x/y/merge_requests/4" }, { project: {} })).toMatchObject({
      outcome: "invalid",
      reason: expect.stringMatching(/does not name the item's project/),
    });
  });

  it("keeps fields GitLab left out undefined, and reads an absent assignees list with no assignee ids as none", () => {
    const item = itemOf(mr({ title: undefined, labels: undefined, assignee_ids: [] }));
    expect(item.title).toBeUndefined();
    expect(item.labels).toBeUndefined();
    expect(item.assignees).toEqual([]);
    expect(itemOf(mr({ assignee_ids: [3] })).assignees).toBeUndefined();
    expect(itemOf(mr({ author_id: 6 })).author).toBeUndefined();
  });

  it("ignores events it does not use and group-level work items, and refuses contradictions and bad types", () => {
    expect(normaliseDelivery("Push Hook", "{", { instanceUrl: INSTANCE })).toMatchObject({
      outcome: "ignored",
      reason: expect.stringContaining("Push Hook"),
    });
    const epic = JSON.stringify({
      object_kind: "work_item",
      object_attributes: { iid: 1, type: "Epic", state: "opened" },
    });
    expect(normaliseDelivery("Issue Hook", epic, { instanceUrl: INSTANCE })).toMatchObject({
      outcome: "ignored",
      reason: expect.stringMatching(/Group-level/),
    });
    expect(normaliseDelivery("Issue Hook", body({}), { instanceUrl: INSTANCE })).toMatchObject({
      outcome: "invalid",
      reason: expect.stringMatching(/must carry object_kind/),
    });
    expect(mr({ iid: "4" })).toMatchObject({
      outcome: "invalid",
      reason: expect.stringMatching(/object_attributes\.iid/),
    });
    expect(mr({ iid: 2 ** 40 })).toMatchObject({ outcome: "invalid" });
    expect(mr({ title: "t".repeat(5000) })).toMatchObject({
      outcome: "invalid",
      reason: expect.stringMatching(/object_attributes\.title/),
    });
    expect(mr({ labels: "bug" }, { labels: undefined })).toMatchObject({
      outcome: "invalid",
      reason: expect.stringMatching(/labels/),
    });
  });

  it("replaces NUL and lone surrogates in stored text", () => {
    expect(cleanText("a\u0000b\ud800c\udc00d😀")).toBe("a\uFFFDb\uFFFDc\uFFFDd😀");
    expect(itemOf(mr({ title: "x\u0000y" })).title).toBe("x\uFFFDy");
  });
});

describe("GitLab's revert marker", () => {
  it("names the reverted merge request only on a merged merge request", () => {
    const description = "Revert of the checkout\n\nThis reverts merge request !34";
    expect(itemOf(mr({ state: "merged", description })).revertsIid).toBe(34);
    expect(itemOf(mr({ state: "opened", description })).revertsIid).toBeUndefined();
    expect(
      itemOf(mr({ state: "merged", description: "Mentions This reverts merge request !34" })).revertsIid,
    ).toBeUndefined();
    expect(itemOf(mr({ state: "merged", description: { odd: true } })).revertsIid).toBeUndefined();
  });
});
