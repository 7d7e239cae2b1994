import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import {
  IssueDiscussions,
  IssueNotes,
  Issues,
  MergeRequestDiscussions,
  MergeRequestNotes,
  MergeRequests,
  PersonalAccessTokens,
  ProjectHooks,
  ProjectLabels,
  ProjectMembers,
  Projects,
  Users,
} from "@gitbeaker/core";
import { decryptSecret } from "@/lib/crypto/secret-box";
import { env } from "@/lib/env";
import { GitLabApiError } from "@/lib/gitlab/client/errors";
import { createGitLabRequester } from "@/lib/gitlab/client/requester";
import { GITLAB_TIMEOUT_MS } from "@/lib/gitlab/client/transport";
import {
  accessLevelOf,
  itemQuery,
  type Json,
  labelEdit,
  num,
  pageInfoFromHeaders,
  str,
  toIssue,
  toMember,
  toMergeRequest,
  toNote,
  toProject,
} from "@/lib/gitlab/client/mapping";
import {
  type GitLabConnection,
  type GitLabClientOptions,
  type GitLabPage,
  type PageRequest,
  type GitLabTokenInfo,
  type GitLabUser,
  type GitLabProjectDetail,
  type GitLabLabelInput,
  type LabelChange,
  type NoteListFilters,
  type GitLabHook,
  type ItemListFilters,
  type IssueInput,
  type HookInput,
} from "@/lib/gitlab/client/types";
import { neutraliseQuickActions } from "@/lib/vcs/markdown";

// The one module every GitLab call goes through. Gitbeaker's resource classes name the endpoints;
// our requester carries them (SSRF guard, deadline, typed errors). Results are mapped (mapping.ts)
// to the small interfaces of types.ts, so the rest of Flagpost never sees GitLab's raw JSON. Projects are always
// addressed by numeric id: paths change when projects move, ids do not.

export * from "@/lib/gitlab/client/types";
export { pageInfoFromHeaders } from "@/lib/gitlab/client/mapping";

// Per call: the deadline shared by a request and its retry, and the last answer's headers (the
// pagination headers of a list call). AsyncLocalStorage keeps concurrent calls apart.
interface CallScope {
  deadline: number;
  headers: Record<string, string>;
}
const callScope = new AsyncLocalStorage<CallScope>();

/** Rate limits short enough to wait out inside one request are retried once; longer ones surface. */
const MAX_INLINE_WAIT_SECONDS = 2;

async function withinBudget<T>(
  budgetMs: number,
  run: () => Promise<T>,
): Promise<{ value: T; headers: Record<string, string> }> {
  const scope: CallScope = { deadline: Date.now() + budgetMs, headers: {} };
  return callScope.run(scope, async () => {
    try {
      return { value: await run(), headers: scope.headers };
    } catch (error) {
      const wait = error instanceof GitLabApiError && error.status === 429 ? error.retryAfterSeconds : null;
      // Retry only if the wait leaves time for the request itself (a second at least).
      if (wait === null || wait > MAX_INLINE_WAIT_SECONDS || Date.now() + wait * 1000 + 1000 > scope.deadline)
        throw error;
      await sleep(wait * 1000);
      return { value: await run(), headers: scope.headers };
    }
  });
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
  const settings = {
    host: connection.instanceUrl,
    token: connection.token,
    requesterFn,
    camelize: false as const,
    queryTimeout: null,
    rateLimits: {},
  };
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
    issueDiscussions: new IssueDiscussions(settings),
    mergeRequestDiscussions: new MergeRequestDiscussions(settings),
  };

  async function one<T>(request: () => Promise<unknown>, map: (raw: Json) => T): Promise<T> {
    const { value } = await withinBudget(budgetMs, request);
    return map(value as Json);
  }

  async function many<T>(
    paging: PageRequest,
    request: () => Promise<unknown>,
    map: (raw: Json) => T,
  ): Promise<GitLabPage<T>> {
    const { value, headers } = await withinBudget(budgetMs, request);
    const rows = (Array.isArray(value) ? value : []) as Json[];
    return { items: rows.map(map), ...pageInfoFromHeaders(headers, paging, rows.length) };
  }

  /** Comments on the issues or the merge requests of a project, addressed by iid. */
  // GitLab's `activity_filter` (comments only, no system notes) is missing from gitbeaker's option
  // type; spread from a variable, it is sent without widening the option type.
  const noSystemNotes = { activityFilter: "only_comments" };

  const notesOf = (notes: IssueNotes<false> | MergeRequestNotes<false>) => ({
    /** Comments only (no system notes), one page; GitLab may return fewer than `perPage` on a page that is not the last. */
    list: (projectId: number, iid: number, filters: NoteListFilters = {}) =>
      many(
        filters,
        () =>
          notes.all(projectId, iid, {
            sort: filters.sort ?? "desc",
            orderBy: "created_at",
            ...noSystemNotes,
            page: filters.page ?? 1,
            perPage: filters.perPage ?? 20,
          }),
        toNote,
      ),
    // Every text sent to GitLab passes neutraliseQuickActions here, whoever wrote it: no line can run as a quick action.
    create: (projectId: number, iid: number, body: string) =>
      one(() => notes.create(projectId, iid, neutraliseQuickActions(body)), toNote),
    /** Only the author (or a moderator) may edit a note: anyone else gets 403; a deleted note 404. */
    edit: (projectId: number, iid: number, noteId: number, body: string) =>
      one(() => notes.edit(projectId, iid, noteId, { body: neutraliseQuickActions(body) }), toNote),
  });

  return {
    instanceUrl: connection.instanceUrl,

    user: {
      /** The user (or project/group bot) the token acts as. */
      current: () =>
        one(
          () => resources.users.showCurrentUser(),
          (raw): GitLabUser => ({
            id: num(raw.id),
            username: str(raw.username),
            name: str(raw.name),
            bot: raw.bot === true,
          }),
        ),
    },

    tokens: {
      /** What the token itself is (GitLab 15.5+; older instances answer 404). */
      self: () =>
        one(
          () => resources.tokens.show(),
          (raw): GitLabTokenInfo => ({
            name: str(raw.name),
            scopes: Array.isArray(raw.scopes) ? raw.scopes.map(String) : [],
            expiresAt: typeof raw.expires_at === "string" ? raw.expires_at.slice(0, 10) : null,
            active: raw.active !== false,
            revoked: raw.revoked === true,
            userId: num(raw.user_id),
          }),
        ),
    },

    projects: {
      /** Projects the token is a member of, optionally searched by name, path or namespace. */
      list: (filters: PageRequest & { search?: string } = {}) =>
        many(
          filters,
          () => {
            const query = {
              membership: true,
              simple: true,
              page: filters.page ?? 1,
              perPage: filters.perPage ?? 20,
              ...(filters.search ? { search: filters.search, searchNamespaces: true } : {}),
            };
            return resources.projects.all(query);
          },
          toProject,
        ),
      get: (projectId: number) =>
        one(
          () => resources.projects.show(projectId),
          (raw): GitLabProjectDetail => ({ ...toProject(raw), accessLevel: accessLevelOf(raw) }),
        ),
      /** Resolves a path someone pasted ("group/sub/project") to the project and its numeric id. */
      getByPath: (pathWithNamespace: string) =>
        one(
          () => resources.projects.show(pathWithNamespace),
          (raw): GitLabProjectDetail => ({ ...toProject(raw), accessLevel: accessLevelOf(raw) }),
        ),
    },

    issues: {
      /** With `iids`, one request reads up to 100 known issues (`iids[]=…`); GitLab leaves out those it cannot show. */
      list: (projectId: number, filters: ItemListFilters = {}) =>
        many(filters, () => resources.issues.all({ projectId, ...itemQuery(filters) }), toIssue),
      get: (projectId: number, iid: number) => one(() => resources.issues.show(iid, { projectId }), toIssue),
      /** Adds and removes labels; GitLab ignores adding one already there or removing one that is not. */
      editLabels: (projectId: number, iid: number, change: LabelChange) =>
        one(() => resources.issues.edit(projectId, iid, labelEdit(change)), toIssue),
      create: (projectId: number, input: IssueInput) =>
        one(
          () =>
            resources.issues.create(projectId, neutraliseQuickActions(input.title), {
              ...(input.description ? { description: neutraliseQuickActions(input.description) } : {}),
              ...(input.assigneeIds?.length ? { assigneeIds: input.assigneeIds } : {}),
              ...(input.labels?.length ? { labels: input.labels.join(",") } : {}),
            }),
          toIssue,
        ),
    },

    mergeRequests: {
      list: (projectId: number, filters: ItemListFilters = {}) =>
        many(
          filters,
          () => resources.mergeRequests.all({ projectId, ...itemQuery(filters) }),
          toMergeRequest,
        ),
      get: (projectId: number, iid: number) =>
        one(() => resources.mergeRequests.show(projectId, iid), toMergeRequest),
      editLabels: (projectId: number, iid: number, change: LabelChange) =>
        one(() => resources.mergeRequests.edit(projectId, iid, labelEdit(change)), toMergeRequest),
    },

    issueNotes: notesOf(resources.issueNotes),
    mergeRequestNotes: notesOf(resources.mergeRequestNotes),

    labels: {
      /** Creates a project label; false when one with that name exists already (GitLab answers 409). */
      create: async (projectId: number, input: GitLabLabelInput): Promise<boolean> => {
        try {
          await withinBudget(budgetMs, () =>
            resources.labels.create(
              projectId,
              input.name,
              input.color,
              input.description ? { description: input.description } : {},
            ),
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
            resources.members.all(projectId, {
              includeInherited: true,
              page: filters.page ?? 1,
              perPage: filters.perPage ?? 20,
              ...(filters.query ? { query: filters.query } : {}),
              ...(filters.userIds?.length ? { userIds: filters.userIds } : {}),
            }),
          toMember,
        ),
      /** One user's effective access (inherited included: GET …/members/all/:user_id); null when not a member. */
      effective: async (projectId: number, userId: number) => {
        try {
          return await one(
            () => resources.members.show(projectId, userId, { includeInherited: true }),
            toMember,
          );
        } catch (error) {
          if (error instanceof GitLabApiError && error.status === 404) return null;
          throw error;
        }
      },
    },

    discussions: {
      /** The notes of one discussion thread, oldest first (GET …/discussions/:discussion_id). */
      notes: (projectId: number, kind: "issue" | "merge_request", iid: number, discussionId: string) =>
        one(
          () =>
            (kind === "issue" ? resources.issueDiscussions : resources.mergeRequestDiscussions).show(
              projectId,
              iid,
              discussionId,
            ),
          (raw) => (Array.isArray(raw.notes) ? (raw.notes as Json[]) : []).map(toNote),
        ),
      /** Replies in a discussion thread of an issue or merge request (quick actions neutralised). */
      reply: (
        projectId: number,
        kind: "issue" | "merge_request",
        iid: number,
        discussionId: string,
        body: string,
      ) =>
        one(
          () =>
            (kind === "issue" ? resources.issueDiscussions : resources.mergeRequestDiscussions).addNote(
              projectId,
              iid,
              discussionId,
              neutraliseQuickActions(body),
            ),
          toNote,
        ),
    },

    hooks: {
      /** Registers a project hook for the issue and merge request events Flagpost reads (Maintainer+). */
      add: (projectId: number, input: HookInput) =>
        one(
          () =>
            resources.hooks.add(projectId, input.url, {
              token: input.token,
              issuesEvents: true,
              confidentialIssuesEvents: true,
              mergeRequestsEvents: true,
              // GitLab turns push events on unless told otherwise.
              pushEvents: false,
              enableSslVerification: input.enableSslVerification,
            }),
          (raw): GitLabHook => ({ id: num(raw.id), url: str(raw.url) }),
        ),
      edit: (projectId: number, hookId: number, input: HookInput) =>
        one(
          () =>
            resources.hooks.edit(projectId, hookId, input.url, {
              token: input.token,
              enableSslVerification: input.enableSslVerification,
            }),
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
export function gitlabClientForIntegration(
  integration: { instanceUrl: string; encryptedToken: string },
  options?: GitLabClientOptions,
): GitLabClient {
  return gitlabClient(
    { instanceUrl: integration.instanceUrl, token: decryptSecret(integration.encryptedToken) },
    options,
  );
}
