// Data model of the GitLab simulator. Internal records use camelCase; the REST and webhook
// representations (snake_case, GitLab's shapes) are produced by entities.ts and webhook-payloads.ts.

export const ACCESS_LEVEL = {
  none: 0,
  minimal: 5,
  guest: 10,
  planner: 15,
  reporter: 20,
  developer: 30,
  maintainer: 40,
  owner: 50,
} as const;

export type Visibility = "private" | "internal" | "public";
export type PayloadStyle = "modern" | "legacy";
export type IssueType = "issue" | "task" | "incident";
type IssueState = "opened" | "closed";
type MergeRequestState = "opened" | "closed" | "merged" | "locked";
export type NoteableKind = "issue" | "merge_request";

export interface User {
  id: number;
  username: string;
  name: string;
  bot: boolean;
  isAdmin: boolean;
  state: "active" | "blocked";
  email: string;
  publicEmail: string | null;
  createdAt: string;
}

export interface Namespace {
  id: number;
  name: string;
  path: string;
  fullPath: string;
  kind: "group" | "user";
  parentId: number | null;
  visibility: Visibility;
  createdAt: string;
}

export interface Membership {
  sourceType: "Project" | "Namespace";
  sourceId: number;
  userId: number;
  accessLevel: number;
  createdAt: string;
  createdById: number | null;
  expiresAt: string | null;
}

export interface Project {
  id: number;
  name: string;
  path: string;
  description: string | null;
  namespaceId: number;
  visibility: Visibility;
  issuesEnabled: boolean;
  mergeRequestsEnabled: boolean;
  archived: boolean;
  createdAt: string;
  lastActivityAt: string;
  defaultBranch: string;
  topics: string[];
  creatorId: number;
  starCount: number;
}

export interface Label {
  id: number;
  projectId: number;
  title: string;
  color: string;
  description: string | null;
  priority: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface Issue {
  id: number;
  iid: number;
  projectId: number;
  title: string;
  description: string | null;
  state: IssueState;
  issueType: IssueType;
  confidential: boolean;
  authorId: number;
  assigneeIds: number[];
  labelIds: number[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedById: number | null;
  updatedById: number | null;
  lastEditedAt: string | null;
  lastEditedById: number | null;
  discussionLocked: boolean | null;
  dueDate: string | null;
  relativePosition: number;
}

export interface MergeRequest {
  id: number;
  iid: number;
  projectId: number;
  title: string;
  description: string | null;
  state: MergeRequestState;
  sourceBranch: string;
  targetBranch: string;
  authorId: number;
  assigneeIds: number[];
  reviewerIds: number[];
  labelIds: number[];
  createdAt: string;
  updatedAt: string;
  preparedAt: string;
  closedAt: string | null;
  closedById: number | null;
  mergedAt: string | null;
  mergeUserId: number | null;
  mergeCommitSha: string | null;
  sha: string;
  updatedById: number | null;
  lastEditedAt: string | null;
  lastEditedById: number | null;
  discussionLocked: boolean | null;
  approvedByIds: number[];
}

export interface Note {
  id: number;
  projectId: number;
  noteableType: "Issue" | "MergeRequest";
  noteableId: number;
  body: string;
  authorId: number;
  createdAt: string;
  updatedAt: string;
  updatedById: number | null;
  system: boolean;
  internal: boolean;
  /** `DiscussionNote` for a note in a thread; null for a standalone comment (its own individual discussion). */
  type: "DiscussionNote" | null;
  discussionId: string;
}

export interface Hook {
  id: number;
  projectId: number;
  url: string;
  token: string | null;
  name: string | null;
  description: string | null;
  pushEvents: boolean;
  tagPushEvents: boolean;
  issuesEvents: boolean;
  confidentialIssuesEvents: boolean;
  mergeRequestsEvents: boolean;
  noteEvents: boolean;
  confidentialNoteEvents: boolean;
  pipelineEvents: boolean;
  wikiPageEvents: boolean;
  jobEvents: boolean;
  releasesEvents: boolean;
  emojiEvents: boolean;
  resourceAccessTokenEvents: boolean;
  enableSslVerification: boolean;
  pushEventsBranchFilter: string;
  createdAt: string;
}

export interface Token {
  id: number;
  value: string;
  name: string;
  description: string | null;
  scopes: string[];
  expiresAt: string | null; // YYYY-MM-DD
  revoked: boolean;
  userId: number;
  createdAt: string;
  lastUsedAt: string | null;
}

/** A `{previous, current}` change in raw (internal) form; converted to GitLab's shape at payload time. */
interface Change {
  previous: unknown;
  current: unknown;
}
export type ChangeSet = Record<string, Change>;

export type IssueHookAction = "open" | "close" | "reopen" | "update";
export type MergeRequestHookAction =
  "open" | "close" | "reopen" | "update" | "merge" | "approved" | "approval" | "unapproved" | "unapproval";

export type SimEvent =
  | { kind: "issue"; issueId: number; action: IssueHookAction; actorId: number; changes: ChangeSet }
  | {
      kind: "merge_request";
      mergeRequestId: number;
      action: MergeRequestHookAction;
      actorId: number;
      changes: ChangeSet;
    }
  | { kind: "note"; noteId: number; action: "create" | "update"; actorId: number };

export interface DeliveryRecord {
  id: number;
  hookId: number;
  projectId: number;
  url: string;
  /** Value of the X-Gitlab-Event header. */
  event: string;
  objectKind: string;
  action: string | null;
  payloadStyle: PayloadStyle;
  idempotencyKey: string;
  webhookUuid: string;
  eventUuid: string;
  request: { headers: Record<string, string>; body: string; payload: unknown };
  response: { status: number; headers: Record<string, string>; body: string } | null;
  error: string | null;
  /** GitLab counts any 2xx or 3xx answer as delivered. */
  success: boolean;
  /** True when GitLab's recursion detection would have blocked the delivery (nothing was sent). */
  blocked: boolean;
  resentFrom: number | null;
  startedAt: string;
  durationMs: number;
}

export interface RequestLogEntry {
  id: number;
  method: string;
  /** Raw path after `/api/v4` (encoded project paths stay encoded). */
  path: string;
  query: Record<string, string | string[]>;
  status: number;
  time: string;
  durationMs: number;
  token: string | null;
  tokenName: string | null;
  userId: number | null;
  username: string | null;
  fault: string | null;
}

export interface QuickActionRecord {
  projectId: number;
  noteableType: "Issue" | "MergeRequest";
  iid: number;
  userId: number;
  command: string;
  args: string;
  time: string;
}

export interface FaultSpec {
  /** HTTP status to answer. Ignored with `drop`. */
  status?: number;
  /** Close the connection without an answer (a network failure, as when GitLab or its proxy is down). */
  drop?: boolean;
  /** How many matching requests fail. Default 1; `Infinity` (or -1 over HTTP) for every request. */
  count?: number;
  probability?: number;
  /** Regex tested against the raw path after `/api/v4`, e.g. `^/projects/\\d+/issues`. */
  pathPattern?: string;
  method?: string;
  retryAfter?: number;
  /** For 429: `rack-attack` (plain text + RateLimit headers, default) or `application` (JSON, no headers). */
  body?: "rack-attack" | "application";
}

export interface Fault {
  id: number;
  /** 0 when the fault drops the connection. */
  status: number;
  drop: boolean;
  /** Requests this fault has answered so far. */
  hits: number;
  remaining: number;
  probability: number;
  pathPattern: RegExp | null;
  pathPatternSource: string | null;
  method: string | null;
  retryAfter: number;
  body: "rack-attack" | "application";
}

export interface LatencyRule {
  ms: number;
  pathPattern: RegExp | null;
  pathPatternSource: string | null;
}
