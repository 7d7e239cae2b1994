import "server-only";
// What the GitLab client returns and takes: small interfaces mapped from GitLab's JSON
// (lib/gitlab/client/mapping.ts), so the rest of Flagpost never reads raw GitLab JSON.

export interface GitLabConnection {
  /** Normalised instance URL (lib/gitlab/client/instance-url.ts), e.g. https://gitlab.example.com/gitlab. */
  instanceUrl: string;
  token: string;
}

export interface GitLabClientOptions {
  /** Time budget of one call, its 429 retry included. Default 10 s. */
  timeoutMs?: number;
}

/** One page of a GitLab list. Totals are null when GitLab omits them (above 10,000 records). */
export interface GitLabPage<T> {
  items: T[];
  page: number;
  perPage: number;
  nextPage: number | null;
  prevPage: number | null;
  total: number | null;
  totalPages: number | null;
}

export interface PageRequest {
  page?: number;
  /** 1–100 (GitLab clamps larger values). */
  perPage?: number;
}

/** GitLab access levels (roles). */
export const ACCESS_LEVEL = {
  guest: 10,
  planner: 15,
  reporter: 20,
  developer: 30,
  maintainer: 40,
  owner: 50,
} as const;

export interface GitLabTokenInfo {
  name: string;
  scopes: string[];
  /** YYYY-MM-DD, or null for a token that never expires. */
  expiresAt: string | null;
  active: boolean;
  revoked: boolean;
  userId: number;
}

export interface GitLabUser {
  id: number;
  username: string;
  name: string;
  bot: boolean;
}

export interface GitLabProject {
  id: number;
  name: string;
  pathWithNamespace: string;
  webUrl: string;
}

export interface GitLabProjectDetail extends GitLabProject {
  /** The token's effective role on the project (direct or through a group); null if none. */
  accessLevel: number | null;
}

export interface GitLabAuthor {
  id: number;
  username: string;
  name: string;
  avatarUrl: string | null;
}

export interface GitLabIssue {
  id: number;
  iid: number;
  /** The numeric id of the project the item belongs to. */
  projectId: number;
  title: string;
  state: "opened" | "closed";
  webUrl: string;
  labels: string[];
  author: GitLabAuthor | null;
  assignees: GitLabAuthor[];
  updatedAt: string;
  /** When it was closed (or merged, for merge requests); null while open. */
  closedAt: string | null;
  /** Only members with at least Reporter access see a confidential issue (never set on merge requests). */
  confidential?: boolean;
}

export interface GitLabMergeRequest extends Omit<GitLabIssue, "state"> {
  state: "opened" | "closed" | "merged" | "locked";
  draft: boolean;
  merged: boolean;
}

export interface GitLabLabelInput {
  name: string;
  /** "#RRGGBB" */
  color: string;
  description?: string;
}

/** Labels to add to and remove from an issue or merge request in one edit. */
export interface LabelChange {
  add?: string[];
  remove?: string[];
}

/** A comment on an issue or merge request. */
export interface GitLabNote {
  id: number;
  body: string;
  author: GitLabAuthor | null;
  /** System notes ("changed the description", …) are GitLab's own and cannot be edited. */
  system: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface NoteListFilters extends PageRequest {
  /** By creation time; GitLab's default is newest first ("desc"). */
  sort?: "asc" | "desc";
}

export interface GitLabMember extends GitLabAuthor {
  accessLevel: number;
}

export interface GitLabHook {
  id: number;
  url: string;
}

export interface ItemListFilters extends PageRequest {
  /** Omit for every state. */
  state?: "opened" | "closed" | "merged";
  search?: string;
  iids?: number[];
}

/** A new issue. GitLab silently drops labels and assignees the token's role may not set (below Planner/Reporter) and assignees who are not members. */
export interface IssueInput {
  title: string;
  description?: string;
  assigneeIds?: number[];
  /** Created in the project when missing (Reporter+). */
  labels?: string[];
}

export interface HookInput {
  url: string;
  /** Sent back by GitLab as X-Gitlab-Token on every delivery. */
  token: string;
  enableSslVerification: boolean;
}
