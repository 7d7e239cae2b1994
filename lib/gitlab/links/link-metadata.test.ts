import { describe, expect, it } from "vitest";
import type { ExternalResource } from "@/lib/generated/prisma/client";
import type { GitLabIssue, GitLabMergeRequest } from "@/lib/gitlab/client/client";
import {
  compareMetadata,
  fullReference,
  isMetadataStale,
  metadataColumns,
  metadataData,
  planRefresh,
  serializeLink,
} from "@/lib/gitlab/links/link-metadata";
import { Prisma } from "@/lib/generated/prisma/client";

const alice = { id: 1, username: "alice", name: "Alice", avatarUrl: "https://gitlab.example.com/a.png" };
const bob = { id: 2, username: "bob", name: "Bob", avatarUrl: null };

const issue = (overrides: Partial<GitLabIssue> = {}): GitLabIssue => ({
  id: 100,
  iid: 12,
  projectId: 7,
  title: "Roll out checkout",
  state: "opened",
  webUrl: "https://gitlab.example.com/acme/web/-/issues/12",
  labels: ["feature"],
  author: alice,
  assignees: [bob],
  updatedAt: "2026-01-02T03:04:05.000Z",
  closedAt: null,
  ...overrides,
});

const mergeRequest = (overrides: Partial<GitLabMergeRequest> = {}): GitLabMergeRequest => ({
  ...issue({ iid: 34, webUrl: "https://gitlab.example.com/acme/web/-/merge_requests/34" }),
  state: "opened",
  draft: false,
  merged: false,
  ...overrides,
});

const NOW = new Date("2026-03-01T12:00:00.000Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms);

function row(overrides: Partial<ExternalResource> = {}): ExternalResource {
  return {
    id: 1,
    featureId: 5,
    type: "GITLAB_ISSUE",
    url: "https://gitlab.example.com/acme/web/-/issues/12",
    gitlabProjectId: 7,
    gitlabProjectPath: "acme/web",
    iid: 12,
    title: "Roll out checkout",
    state: "opened",
    draft: false,
    labels: ["feature"],
    assignees: [{ id: 2, username: "bob", name: "Bob", avatar_url: null }],
    author: { id: 1, username: "alice", name: "Alice", avatar_url: "https://gitlab.example.com/a.png" },
    gitlabUpdatedAt: new Date("2026-01-02T03:04:05.000Z"),
    closedAt: null,
    metadataRefreshedAt: ago(1_000),
    unavailableAt: null,
    isCleanupIssue: false,
    createdAt: ago(10_000),
    ...overrides,
  };
}

describe("metadata columns from GitLab's item", () => {
  it("keeps title, state, labels, people and times of an issue", () => {
    expect(metadataColumns(issue())).toEqual({
      title: "Roll out checkout",
      state: "opened",
      draft: false,
      labels: ["feature"],
      assignees: [{ id: 2, username: "bob", name: "Bob", avatar_url: null }],
      author: { id: 1, username: "alice", name: "Alice", avatar_url: "https://gitlab.example.com/a.png" },
      gitlabUpdatedAt: new Date("2026-01-02T03:04:05.000Z"),
      closedAt: null,
    });
    expect(metadataColumns(issue({ state: "closed", closedAt: "2026-01-03T00:00:00.000Z" }))).toMatchObject({
      state: "closed",
      closedAt: new Date("2026-01-03T00:00:00.000Z"),
    });
  });

  it("reads merge request states: draft, merged, and locked as open", () => {
    expect(metadataColumns(mergeRequest({ draft: true }))).toMatchObject({
      state: "opened",
      draft: true,
      closedAt: null,
    });
    expect(
      metadataColumns(mergeRequest({ state: "merged", merged: true, closedAt: "2026-01-04T00:00:00.000Z" })),
    ).toMatchObject({ state: "merged", closedAt: new Date("2026-01-04T00:00:00.000Z") });
    expect(metadataColumns(mergeRequest({ state: "locked" }))).toMatchObject({ state: "opened" });
  });

  it("writes a missing author as SQL NULL", () => {
    expect(metadataData(metadataColumns(issue({ author: null }))).author).toBe(Prisma.DbNull);
    expect(metadataData(metadataColumns(issue())).author).toEqual({
      id: 1,
      username: "alice",
      name: "Alice",
      avatar_url: "https://gitlab.example.com/a.png",
    });
  });
});

describe("comparing the cache with GitLab", () => {
  it("sees no change when GitLab says what the cache holds", () => {
    expect(compareMetadata(row(), metadataColumns(issue()))).toEqual({ changed: false, stateChanged: false });
  });

  it("tells a state change (tags may move) from a cosmetic one", () => {
    expect(compareMetadata(row(), metadataColumns(issue({ title: "Renamed" })))).toEqual({
      changed: true,
      stateChanged: false,
    });
    expect(compareMetadata(row(), metadataColumns(issue({ labels: ["feature", "Flagpost"] })))).toEqual({
      changed: true,
      stateChanged: false,
    });
    expect(compareMetadata(row(), metadataColumns(issue({ assignees: [] })))).toEqual({
      changed: true,
      stateChanged: false,
    });
    expect(
      compareMetadata(
        row(),
        metadataColumns(issue({ state: "closed", closedAt: "2026-01-03T00:00:00.000Z" })),
      ),
    ).toEqual({ changed: true, stateChanged: true });
    expect(
      compareMetadata(row({ type: "GITLAB_MR" }), metadataColumns(mergeRequest({ draft: true }))),
    ).toEqual({ changed: true, stateChanged: true });
  });
});

describe("which rows a listing re-reads, and in how many requests", () => {
  it("counts metadata older than a minute, or never read, as stale", () => {
    expect(isMetadataStale(row({ metadataRefreshedAt: ago(59_000) }), NOW)).toBe(false);
    expect(isMetadataStale(row({ metadataRefreshedAt: ago(61_000) }), NOW)).toBe(true);
    expect(isMetadataStale(row({ metadataRefreshedAt: null }), NOW)).toBe(true);
  });

  it("asks nothing when every row is fresh, unless forced", () => {
    const rows = [row({ iid: 1 }), row({ iid: 2, type: "GITLAB_MR" })];
    expect(planRefresh(rows, NOW)).toEqual([]);
    expect(planRefresh(rows, NOW, { force: true })).toEqual([
      { gitlabProjectId: 7, type: "GITLAB_ISSUE", iids: [1] },
      { gitlabProjectId: 7, type: "GITLAB_MR", iids: [2] },
    ]);
  });

  it("groups stale rows into one request per GitLab project and kind, with sorted unique iids", () => {
    const old = ago(120_000);
    const rows = [
      row({ gitlabProjectId: 7, iid: 9, metadataRefreshedAt: old }),
      row({ gitlabProjectId: 7, iid: 3, metadataRefreshedAt: old }),
      row({ gitlabProjectId: 7, iid: 3, metadataRefreshedAt: old, featureId: 6 }),
      row({ gitlabProjectId: 7, iid: 4 }),
      row({ gitlabProjectId: 7, iid: 3, type: "GITLAB_MR", metadataRefreshedAt: null }),
      row({ gitlabProjectId: 8, iid: 1, metadataRefreshedAt: old }),
    ];
    expect(planRefresh(rows, NOW)).toEqual([
      { gitlabProjectId: 7, type: "GITLAB_ISSUE", iids: [3, 9] },
      { gitlabProjectId: 7, type: "GITLAB_MR", iids: [3] },
      { gitlabProjectId: 8, type: "GITLAB_ISSUE", iids: [1] },
    ]);
  });

  it("splits a group only past 100 items (GitLab's page size)", () => {
    const rows = Array.from({ length: 250 }, (_, n) => row({ iid: n + 1, metadataRefreshedAt: null }));
    const plan = planRefresh(rows, NOW);
    expect(plan.map((group) => group.iids.length)).toEqual([100, 100, 50]);
    expect(plan.flatMap((group) => group.iids)).toEqual(Array.from({ length: 250 }, (_, n) => n + 1));
  });
});

describe("how a link is shown", () => {
  it("answers the contract's shape with the short reference and freshness", () => {
    const view = serializeLink({
      row: row({
        id: 3,
        type: "GITLAB_MR",
        iid: 34,
        state: "merged",
        url: "https://gitlab.example.com/acme/web/-/merge_requests/34",
      }),
      stale: true,
    });
    expect(view).toEqual({
      id: 3,
      url: "https://gitlab.example.com/acme/web/-/merge_requests/34",
      type: "GITLAB_MR",
      feature: 5,
      is_cleanup_issue: false,
      metadata: {
        title: "Roll out checkout",
        state: "merged",
        draft: false,
        merged: true,
        labels: ["feature"],
        assignees: [{ id: 2, username: "bob", name: "Bob", avatar_url: null }],
        author: { id: 1, username: "alice", name: "Alice", avatar_url: "https://gitlab.example.com/a.png" },
        updated_at: "2026-01-02T03:04:05.000Z",
        closed_at: null,
        reference: "!34",
        project_path: "acme/web",
        gitlab_project_id: 7,
        iid: 34,
        refreshed_at: ago(1_000).toISOString(),
        stale: true,
        unavailable: false,
      },
      created_at: ago(10_000).toISOString(),
    });
    expect(serializeLink({ row: row({ unavailableAt: NOW }), stale: false }).metadata).toMatchObject({
      reference: "#12",
      unavailable: true,
      stale: false,
    });
    expect(serializeLink({ row: row({ isCleanupIssue: true }), stale: false }).is_cleanup_issue).toBe(true);
  });

  it("names items the GitLab way for audit rows", () => {
    expect(fullReference(row())).toBe("acme/web#12");
    expect(fullReference(row({ type: "GITLAB_MR", iid: 34, gitlabProjectPath: "acme/sub/api" }))).toBe(
      "acme/sub/api!34",
    );
  });
});
