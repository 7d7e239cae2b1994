import { AsyncLocalStorage } from "node:async_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { IssueNotes, Issues, MergeRequestNotes, MergeRequests, PersonalAccessTokens, ProjectHooks, ProjectLabels, ProjectMembers, Projects, Users } from "@gitbeaker/core";
import { decryptSecret } from "@/lib/crypto/secret-box";
import { env } from "@/lib/env";
import { GitLabApiError } from "@/lib/gitlab/errors";
import { createGitLabRequester } from "@/lib/gitlab/requester";
import { neutraliseQuickActions } from "@/lib/vcs/markdown";
import { GITLAB_TIMEOUT_MS } from "@/lib/gitlab/transport";

// The one module every GitLab call goes through. Gitbeaker's resource classes name the endpoints;
// our requester carries them (SSRF guard, deadline, typed errors). Results are mapped to the small
// interfaces below, so the rest of Flagpost never sees GitLab's raw JSON. Projects are always
// addressed by numeric id: paths change when projects move, ids do not.

export interface GitLabConnection {
  /** Normalised instance URL (lib/gitlab/instance-url.ts), e.g. https://gitlab.example.com/gitlab. */
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
export const ACCESS_LEVEL = { guest: 10, planner: 15, reporter: 20, developer: 30, maintainer: 40, owner: 50 } as const;

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

type Json = Record<string, unknown>;

// Per call: the deadline shared by a request and its retry, and the last answer's headers (the
// pagination headers of a list call). AsyncLocalStorage keeps concurrent calls apart.
interface CallScope {
  deadline: number;
  headers: Record<string, string>;
}
const callScope = new AsyncLocalStorage<CallScope>();

/** Rate limits short enough to wait out inside one request are retried once; longer ones surface. */
const MAX_INLINE_WAIT_SECONDS = 2;

async function withinBudget<T>(budgetMs: number, run: () => Promise<T>): Promise<{ value: T; headers: Record<string, string> }> {
  const scope: CallScope = { deadline: Date.now() + budgetMs, headers: {} };
  return callScope.run(scope, async () => {
    try {
      return { value: await run(), headers: scope.headers };
    } catch (error) {
      const wait = error instanceof GitLabApiError && error.status === 429 ? error.retryAfterSeconds : null;
      // Retry only if the wait leaves time for the request itself (a second at least).
      if (wait === null || wait > MAX_INLINE_WAIT_SECONDS || Date.now() + wait * 1000 + 1000 > scope.deadline) throw error;
      await sleep(wait * 1000);
      return { value: await run(), headers: scope.headers };
    }
  });
}

const numberOrNull = (value: string | undefined): number | null => {
  if (value === undefined || value.trim() === "") return null;
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed >= 0 ? parsed : null;
};

/** The `page` query parameter of a Link header entry with the given rel. */
function linkPage(link: string | undefined, rel: string): number | null {
  if (!link) return null;
  for (const part of link.split(",")) {
    const match = /<([^>]+)>\s*;\s*rel="([^"]+)"/.exec(part.trim());
    if (match?.[2] === rel) {
      try {
        return numberOrNull(new URL(match[1]!).searchParams.get("page") ?? undefined);
      } catch {
        return null;
      }
    }
  }
  return null;
}

/**
 * Paging facts from GitLab's headers: x-next-page/x-prev-page, falling back to the Link header
 * (gitlab.com sometimes leaves some x- headers out); totals only when GitLab counted.
 */
export function pageInfoFromHeaders(headers: Record<string, string>, requested: PageRequest, itemCount: number): Omit<GitLabPage<never>, "items"> {
  const page = numberOrNull(headers["x-page"]) ?? requested.page ?? 1;
  const perPage = numberOrNull(headers["x-per-page"]) ?? requested.perPage ?? 20;
  const hasNextHeader = headers["x-next-page"] !== undefined;
  const hasPrevHeader = headers["x-prev-page"] !== undefined;
  let nextPage = hasNextHeader ? numberOrNull(headers["x-next-page"]) : linkPage(headers.link, "next");
  const prevPage = hasPrevHeader ? numberOrNull(headers["x-prev-page"]) : linkPage(headers.link, "prev");
  // No header at all said whether there is more: a full page may have a successor.
  if (!hasNextHeader && !headers.link && itemCount >= perPage) nextPage = page + 1;
  return {
    page,
    perPage,
    nextPage,
    prevPage,
    total: numberOrNull(headers["x-total"]),
    totalPages: numberOrNull(headers["x-total-pages"]),
  };
}

const str = (value: unknown): string => (typeof value === "string" ? value : "");
const num = (value: unknown): number => (typeof value === "number" ? value : Number(value));

function toAuthor(raw: unknown): GitLabAuthor | null {
  if (!raw || typeof raw !== "object") return null;
  const user = raw as Json;
  return { id: num(user.id), username: str(user.username), name: str(user.name), avatarUrl: typeof user.avatar_url === "string" ? user.avatar_url : null };
}

function toProject(raw: Json): GitLabProject {
  return { id: num(raw.id), name: str(raw.name), pathWithNamespace: str(raw.path_with_namespace), webUrl: str(raw.web_url) };
}

function accessLevelOf(raw: Json): number | null {
  const permissions = raw.permissions as { project_access?: { access_level?: number } | null; group_access?: { access_level?: number } | null } | undefined;
  const levels = [permissions?.project_access?.access_level, permissions?.group_access?.access_level].filter((level): level is number => typeof level === "number");
  return levels.length ? Math.max(...levels) : null;
}

const strOrNull = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);

function toIssue(raw: Json): GitLabIssue {
  return {
    id: num(raw.id),
    iid: num(raw.iid),
    projectId: num(raw.project_id),
    title: str(raw.title),
    state: raw.state === "closed" ? "closed" : "opened",
    webUrl: str(raw.web_url),
    labels: Array.isArray(raw.labels) ? raw.labels.map((label) => (typeof label === "string" ? label : str((label as Json).name))) : [],
    author: toAuthor(raw.author),
    assignees: Array.isArray(raw.assignees) ? raw.assignees.flatMap((user) => toAuthor(user) ?? []) : [],
    updatedAt: str(raw.updated_at),
    closedAt: strOrNull(raw.closed_at),
  };
}

function toMergeRequest(raw: Json): GitLabMergeRequest {
  const state = raw.state === "closed" || raw.state === "merged" || raw.state === "locked" ? raw.state : "opened";
  return {
    ...toIssue(raw),
    state,
    // `work_in_progress` is the pre-14.0 name of `draft`.
    draft: raw.draft === true || raw.work_in_progress === true,
    merged: state === "merged" || Boolean(raw.merged_at),
    // A merged MR has merged_at; closed_at is only set for MRs closed without merging.
    closedAt: strOrNull(raw.merged_at) ?? strOrNull(raw.closed_at),
  };
}

/** GitLab takes label lists as comma-separated text (label names cannot contain commas). */
function labelEdit(change: LabelChange) {
  return {
    ...(change.add?.length ? { addLabels: change.add.join(",") } : {}),
    ...(change.remove?.length ? { removeLabels: change.remove.join(",") } : {}),
  };
}

function toNote(raw: Json): GitLabNote {
  // A body made only of quick actions is answered 202 with no note; Flagpost never sends one.
  if (typeof raw.id !== "number") throw new Error("GitLab created no note: the body held only quick actions");
  return {
    id: raw.id,
    body: str(raw.body),
    author: toAuthor(raw.author),
    system: raw.system === true,
    createdAt: str(raw.created_at),
    updatedAt: str(raw.updated_at),
  };
}

function toMember(raw: Json): GitLabMember {
  return { ...toAuthor(raw)!, accessLevel: num(raw.access_level) };
}

function itemQuery(filters: ItemListFilters) {
  return {
    page: filters.page ?? 1,
    perPage: filters.perPage ?? 20,
    ...(filters.state ? { state: filters.state } : {}),
    ...(filters.search ? { search: filters.search } : {}),
    ...(filters.iids?.length ? { iids: filters.iids } : {}),
  };
}

export function gitlabClient(connection: GitLabConnection, options: GitLabClientOptions = {}) {
  const budgetMs = options.timeoutMs ?? GITLAB_TIMEOUT_MS;
  const requesterFn = createGitLabRequester({
    allowPrivateNetwork: env().GITLAB_ALLOW_PRIVATE_NETWORK,
    timeoutMs: () => {
      const scope = callScope.getStore();
      return scope ? Math.max(1, scope.deadline - Date.now()) : undefined;
    },
    onResponse: (_status, headers) => {
      const scope = callScope.getStore();
      if (scope) scope.headers = headers;
    },
  });
  // queryTimeout null: the deadline is ours; rateLimits {}: GitLab's own limits govern (429 handling).
  const settings = { host: connection.instanceUrl, token: connection.token, requesterFn, camelize: false as const, queryTimeout: null, rateLimits: {} };
  const resources = {
    projects: new Projects(settings),
    issues: new Issues(settings),
    mergeRequests: new MergeRequests(settings),
    members: new ProjectMembers(settings),
    users: new Users(settings),
    tokens: new PersonalAccessTokens(settings),
    hooks: new ProjectHooks(settings),
    labels: new ProjectLabels(settings),
    issueNotes: new IssueNotes(settings),
    mergeRequestNotes: new MergeRequestNotes(settings),
  };

  async function one<T>(request: () => Promise<unknown>, map: (raw: Json) => T): Promise<T> {
    const { value } = await withinBudget(budgetMs, request);
    return map(value as Json);
  }

  async function many<T>(paging: PageRequest, request: () => Promise<unknown>, map: (raw: Json) => T): Promise<GitLabPage<T>> {
    const { value, headers } = await withinBudget(budgetMs, request);
    const rows = (Array.isArray(value) ? value : []) as Json[];
    return { items: rows.map(map), ...pageInfoFromHeaders(headers, paging, rows.length) };
  }

  // Gitbeaker's option types are generic over camelize/pagination; ours are narrower, hence `never`.
  const opts = (value: Record<string, unknown>) => value as never;

  /** Comments on the issues or the merge requests of a project, addressed by iid. */
  const notesOf = (notes: IssueNotes<false> | MergeRequestNotes<false>) => ({
    /** Comments only (no system notes), one page; GitLab may return fewer than `perPage` on a page that is not the last. */
    list: (projectId: number, iid: number, filters: NoteListFilters = {}) =>
      many(
        filters,
        () =>
          notes.all(
            projectId,
            iid,
            opts({ sort: filters.sort ?? "desc", orderBy: "created_at", activityFilter: "only_comments", page: filters.page ?? 1, perPage: filters.perPage ?? 20 }),
          ),
        toNote,
      ),
    // Every text sent to GitLab passes neutraliseQuickActions here, whoever wrote it: no line can run as a quick action.
    create: (projectId: number, iid: number, body: string) => one(() => notes.create(projectId, iid, neutraliseQuickActions(body)), toNote),
    /** Only the author (or a moderator) may edit a note: anyone else gets 403; a deleted note 404. */
    edit: (projectId: number, iid: number, noteId: number, body: string) =>
      one(() => notes.edit(projectId, iid, noteId, opts({ body: neutraliseQuickActions(body) })), toNote),
  });

  return {
    instanceUrl: connection.instanceUrl,

    user: {
      /** The user (or project/group bot) the token acts as. */
      current: () => one(() => resources.users.showCurrentUser(), (raw): GitLabUser => ({ id: num(raw.id), username: str(raw.username), name: str(raw.name), bot: raw.bot === true })),
    },

    tokens: {
      /** What the token itself is (GitLab 15.5+; older instances answer 404). */
      self: () =>
        one(() => resources.tokens.show(), (raw): GitLabTokenInfo => ({
          name: str(raw.name),
          scopes: Array.isArray(raw.scopes) ? raw.scopes.map(String) : [],
          expiresAt: typeof raw.expires_at === "string" ? raw.expires_at.slice(0, 10) : null,
          active: raw.active !== false,
          revoked: raw.revoked === true,
          userId: num(raw.user_id),
        })),
    },

    projects: {
      /** Projects the token is a member of, optionally searched by name, path or namespace. */
      list: (filters: PageRequest & { search?: string } = {}) =>
        many(
          filters,
          () =>
            resources.projects.all(
              opts({
                membership: true,
                simple: true,
                page: filters.page ?? 1,
                perPage: filters.perPage ?? 20,
                ...(filters.search ? { search: filters.search, searchNamespaces: true } : {}),
              }),
            ),
          toProject,
        ),
      get: (projectId: number) => one(() => resources.projects.show(projectId), (raw): GitLabProjectDetail => ({ ...toProject(raw), accessLevel: accessLevelOf(raw) })),
      /** Resolves a path someone pasted ("group/sub/project") to the project and its numeric id. */
      getByPath: (pathWithNamespace: string) =>
        one(() => resources.projects.show(pathWithNamespace), (raw): GitLabProjectDetail => ({ ...toProject(raw), accessLevel: accessLevelOf(raw) })),
    },

    issues: {
      /** With `iids`, one request reads up to 100 known issues (`iids[]=…`); GitLab leaves out those it cannot show. */
      list: (projectId: number, filters: ItemListFilters = {}) => many(filters, () => resources.issues.all(opts({ projectId, ...itemQuery(filters) })), toIssue),
      get: (projectId: number, iid: number) => one(() => resources.issues.show(iid, opts({ projectId })), toIssue),
      /** Adds and removes labels; GitLab ignores adding one already there or removing one that is not. */
      editLabels: (projectId: number, iid: number, change: LabelChange) => one(() => resources.issues.edit(projectId, iid, opts(labelEdit(change))), toIssue),
      create: (projectId: number, input: IssueInput) =>
        one(
          () =>
            resources.issues.create(
              projectId,
              neutraliseQuickActions(input.title),
              opts({
                ...(input.description ? { description: neutraliseQuickActions(input.description) } : {}),
                ...(input.assigneeIds?.length ? { assigneeIds: input.assigneeIds } : {}),
                ...(input.labels?.length ? { labels: input.labels.join(",") } : {}),
              }),
            ),
          toIssue,
        ),
    },

    mergeRequests: {
      list: (projectId: number, filters: ItemListFilters = {}) =>
        many(filters, () => resources.mergeRequests.all(opts({ projectId, ...itemQuery(filters) })), toMergeRequest),
      get: (projectId: number, iid: number) => one(() => resources.mergeRequests.show(projectId, iid), toMergeRequest),
      editLabels: (projectId: number, iid: number, change: LabelChange) =>
        one(() => resources.mergeRequests.edit(projectId, iid, opts(labelEdit(change))), toMergeRequest),
    },

    issueNotes: notesOf(resources.issueNotes),
    mergeRequestNotes: notesOf(resources.mergeRequestNotes),

    labels: {
      /** Creates a project label; false when one with that name exists already (GitLab answers 409). */
      create: async (projectId: number, input: GitLabLabelInput): Promise<boolean> => {
        try {
          await withinBudget(budgetMs, () =>
            resources.labels.create(projectId, input.name, input.color, opts(input.description ? { description: input.description } : {})),
          );
          return true;
        } catch (error) {
          if (error instanceof GitLabApiError && error.status === 409) return false;
          throw error;
        }
      },
    },

    members: {
      /** Everyone with access to the project, inherited and invited members included. */
      list: (projectId: number, filters: PageRequest & { query?: string; userIds?: number[] } = {}) =>
        many(
          filters,
          () =>
            resources.members.all(
              projectId,
              opts({
                includeInherited: true,
                page: filters.page ?? 1,
                perPage: filters.perPage ?? 20,
                ...(filters.query ? { query: filters.query } : {}),
                ...(filters.userIds?.length ? { userIds: filters.userIds } : {}),
              }),
            ),
          toMember,
        ),
    },

    hooks: {
      /** Registers a project hook for the issue and merge request events Flagpost reads (Maintainer+). */
      add: (projectId: number, input: HookInput) =>
        one(
          () =>
            resources.hooks.add(
              projectId,
              input.url,
              opts({
                token: input.token,
                issuesEvents: true,
                confidentialIssuesEvents: true,
                mergeRequestsEvents: true,
                // GitLab turns push events on unless told otherwise.
                pushEvents: false,
                enableSslVerification: input.enableSslVerification,
              }),
            ),
          (raw): GitLabHook => ({ id: num(raw.id), url: str(raw.url) }),
        ),
      edit: (projectId: number, hookId: number, input: HookInput) =>
        one(
          () => resources.hooks.edit(projectId, hookId, input.url, opts({ token: input.token, enableSslVerification: input.enableSslVerification })),
          (raw): GitLabHook => ({ id: num(raw.id), url: str(raw.url) }),
        ),
      remove: async (projectId: number, hookId: number): Promise<void> => {
        await withinBudget(budgetMs, () => resources.hooks.remove(projectId, hookId));
      },
    },
  };
}

export type GitLabClient = ReturnType<typeof gitlabClient>;

/** A client acting with an integration's stored token (throws SecretKeyMismatchError if the key changed). */
export function gitlabClientForIntegration(integration: { instanceUrl: string; encryptedToken: string }, options?: GitLabClientOptions): GitLabClient {
  return gitlabClient({ instanceUrl: integration.instanceUrl, token: decryptSecret(integration.encryptedToken) }, options);
}
