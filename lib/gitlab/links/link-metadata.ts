import "server-only";
import { Prisma, type ExternalResource, type ExternalResourceType } from "@/lib/generated/prisma/client";
import { serializeGitLabUser } from "@/lib/gitlab/integration/browse";
import type { GitLabIssue, GitLabMergeRequest } from "@/lib/gitlab/client/client";
import { shortReference, type ItemKind } from "@/lib/gitlab/links/item-reference";

// The pure part of a feature's links to GitLab issues and merge requests: how GitLab's item maps
// onto the cached columns, how a row is shown, and which rows a listing must re-read from GitLab
// (grouped so that one request per GitLab project and kind covers them all).

/** Cached metadata older than this is re-read from GitLab when a feature's links are listed. */
const METADATA_MAX_AGE_MS = 60_000;

/** GitLab's `iids[]` lists are paged; 100 is the most one page holds. */
const MAX_IIDS_PER_REQUEST = 100;

export const kindOfType = (type: ExternalResourceType): ItemKind =>
  type === "GITLAB_MR" ? "merge_request" : "issue";
export const typeOfKind = (kind: ItemKind): ExternalResourceType =>
  kind === "merge_request" ? "GITLAB_MR" : "GITLAB_ISSUE";

/** "acme/web#12" / "acme/web!34": how audit rows and messages name an item. */
export function fullReference(item: {
  gitlabProjectPath: string;
  type: ExternalResourceType;
  iid: number;
}): string {
  return `${item.gitlabProjectPath}${shortReference(kindOfType(item.type), item.iid)}`;
}

export type GitLabItem = GitLabIssue | GitLabMergeRequest;

const isMergeRequest = (item: GitLabItem): item is GitLabMergeRequest => "merged" in item;

/** The metadata columns of a link, from what GitLab answered for the item. */
export function metadataColumns(item: GitLabItem) {
  // A locked MR is still open (its discussion is locked), so it counts as open for tags.
  const state = item.state === "closed" || item.state === "merged" ? item.state : "opened";
  return {
    title: item.title,
    state,
    draft: isMergeRequest(item) ? item.draft : false,
    labels: item.labels,
    assignees: item.assignees.map(serializeGitLabUser),
    author: serializeGitLabUser(item.author),
    gitlabUpdatedAt: item.updatedAt ? new Date(item.updatedAt) : null,
    closedAt: state === "opened" || !item.closedAt ? null : new Date(item.closedAt),
  };
}

export type MetadataColumns = ReturnType<typeof metadataColumns>;

/** The columns as Prisma writes them (a missing author is SQL NULL, not JSON null). */
export function metadataData(columns: MetadataColumns) {
  return {
    ...columns,
    assignees: columns.assignees as Prisma.InputJsonValue,
    author: columns.author ?? Prisma.DbNull,
  };
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** What differs between a row's cache and GitLab's answer; `stateChanged` means its tag may change. */
export function compareMetadata(
  row: ExternalResource,
  next: MetadataColumns,
): { changed: boolean; stateChanged: boolean } {
  const stateChanged = row.state !== next.state || row.draft !== next.draft;
  const changed =
    stateChanged ||
    row.title !== next.title ||
    !sameJson(row.labels, next.labels) ||
    !sameJson(row.assignees, next.assignees) ||
    !sameJson(row.author, next.author) ||
    row.gitlabUpdatedAt?.getTime() !== next.gitlabUpdatedAt?.getTime() ||
    row.closedAt?.getTime() !== next.closedAt?.getTime();
  return { changed, stateChanged };
}

export function isMetadataStale(
  row: Pick<ExternalResource, "metadataRefreshedAt">,
  now: Date,
  maxAgeMs = METADATA_MAX_AGE_MS,
): boolean {
  return !row.metadataRefreshedAt || now.getTime() - row.metadataRefreshedAt.getTime() > maxAgeMs;
}

export interface RefreshGroup {
  gitlabProjectId: number;
  type: ExternalResourceType;
  /** At most MAX_IIDS_PER_REQUEST, sorted: one GitLab request. */
  iids: number[];
}

/**
 * The GitLab requests that re-read the rows needing it (all of them when forced): one per GitLab
 * project and kind, split only when a group has more than 100 items.
 */
export function planRefresh(
  rows: Pick<ExternalResource, "gitlabProjectId" | "type" | "iid" | "metadataRefreshedAt">[],
  now: Date,
  { force = false, maxAgeMs = METADATA_MAX_AGE_MS }: { force?: boolean; maxAgeMs?: number } = {},
): RefreshGroup[] {
  const byGroup = new Map<
    string,
    { gitlabProjectId: number; type: ExternalResourceType; iids: Set<number> }
  >();
  for (const row of rows) {
    if (!force && !isMetadataStale(row, now, maxAgeMs)) continue;
    const key = `${row.gitlabProjectId}:${row.type}`;
    let group = byGroup.get(key);
    if (!group)
      byGroup.set(key, (group = { gitlabProjectId: row.gitlabProjectId, type: row.type, iids: new Set() }));
    group.iids.add(row.iid);
  }
  const requests: RefreshGroup[] = [];
  for (const group of byGroup.values()) {
    const iids = [...group.iids].sort((a, b) => a - b);
    for (let start = 0; start < iids.length; start += MAX_IIDS_PER_REQUEST) {
      requests.push({
        gitlabProjectId: group.gitlabProjectId,
        type: group.type,
        iids: iids.slice(start, start + MAX_IIDS_PER_REQUEST),
      });
    }
  }
  return requests;
}

export interface LinkView {
  row: ExternalResource;
  /** The cache is past its age and GitLab could not be asked (slow, down, token rejected). */
  stale: boolean;
}

export function serializeLink({ row, stale }: LinkView) {
  return {
    id: row.id,
    url: row.url,
    type: row.type,
    feature: row.featureId,
    // Created by "Create cleanup issue": closing it marks the flag ready to delete.
    is_cleanup_issue: row.isCleanupIssue,
    metadata: {
      title: row.title,
      state: row.state,
      draft: row.draft,
      merged: row.state === "merged",
      labels: row.labels,
      assignees: row.assignees,
      author: row.author ?? null,
      updated_at: row.gitlabUpdatedAt?.toISOString() ?? null,
      closed_at: row.closedAt?.toISOString() ?? null,
      reference: shortReference(kindOfType(row.type), row.iid),
      project_path: row.gitlabProjectPath,
      gitlab_project_id: row.gitlabProjectId,
      iid: row.iid,
      refreshed_at: row.metadataRefreshedAt?.toISOString() ?? null,
      stale,
      // GitLab no longer shows the item (deleted, moved or hidden from the token).
      unavailable: row.unavailableAt !== null,
    },
    created_at: row.createdAt.toISOString(),
  };
}
