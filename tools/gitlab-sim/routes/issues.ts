// Project issues: list, single, create, edit, delete.
import { createIssue, type IssuePatch, updateIssue } from "../domain/issues";
import { issueEntity } from "../entities/issues";
import { ApiError, bool, errors, has, int, intList, nested, oneOf, type Params, str, strList } from "../http";
import type { RouteContext, RouteDef } from "../router";
import type { SimStore } from "../store";
import type { Issue, IssueType, Project, User } from "../types";
import { ACCESS_LEVEL } from "../types";
import { emit, intParam, level, list, loadProject, ok, requireViewer, sortBy, viewer } from "./common";
import { accessLevel, canReadIssue } from "../permissions";

const ISSUE_ORDER_BY = [
  "created_at",
  "updated_at",
  "priority",
  "due_date",
  "relative_position",
  "label_priority",
  "milestone_due",
  "popularity",
  "weight",
  "title",
] as const;
const ISSUE_TYPES = ["issue", "incident", "test_case", "task"] as const;
const UPDATE_PARAMS = [
  "title",
  "description",
  "assignee_id",
  "assignee_ids",
  "confidential",
  "created_at",
  "due_date",
  "discussion_locked",
  "issue_type",
  "labels",
  "milestone_id",
  "state_event",
  "add_labels",
  "remove_labels",
  "updated_at",
  "weight",
  "epic_id",
  "epic_iid",
];

function requireIssuesEnabled(project: Project): void {
  if (!project.issuesEnabled) throw errors.forbidden();
}

export function findReadableIssue(ctx: RouteContext, project: Project, iid: number): Issue | undefined {
  const issue = ctx.store.issueByIid(project.id, iid);
  if (!issue || !canReadIssue(ctx.store, viewer(ctx), project, issue)) return undefined;
  return issue;
}

/** Filters shared by issue and merge request lists: labels (AND, None, Any), not[labels], search/in. */
export function labelFilter(store: SimStore, input: Params) {
  const labels = strList(input, "labels");
  const notLabels = strList(nested(input, "not"), "labels");
  return (item: { labelIds: number[] }): boolean => {
    const titles = store.labelsByIds(item.labelIds).map((l) => l.title);
    if (labels && labels.length) {
      if (labels.length === 1 && labels[0]?.toLowerCase() === "none") {
        if (titles.length) return false;
      } else if (labels.length === 1 && labels[0]?.toLowerCase() === "any") {
        if (!titles.length) return false;
      } else if (!labels.every((l) => titles.includes(l))) {
        return false;
      }
    }
    if (notLabels && notLabels.some((l) => titles.includes(l))) return false;
    return true;
  };
}

export function textFilter(input: Params) {
  const search = str(input, "search");
  const inFields = (strList(input, "in") ?? ["title", "description"]).map((s) => s.toLowerCase());
  return (item: { title: string; description: string | null }): boolean => {
    if (!search) return true;
    const q = search.toLowerCase();
    return (
      (inFields.includes("title") && item.title.toLowerCase().includes(q)) ||
      (inFields.includes("description") && (item.description ?? "").toLowerCase().includes(q))
    );
  };
}

export function userFilter<T>(
  input: Params,
  idKey: string,
  usernameKey: string,
  store: SimStore,
  ids: (item: T) => number[],
) {
  const raw = str(input, idKey);
  const username = str(input, usernameKey);
  return (item: T): boolean => {
    const current = ids(item);
    if (raw !== undefined) {
      if (raw.toLowerCase() === "none") return current.length === 0;
      if (raw.toLowerCase() === "any") return current.length > 0;
      const id = int(input, idKey);
      if (id !== undefined && !current.includes(id)) return false;
    }
    if (username !== undefined) {
      const u = store.userByUsername(username);
      if (!u || !current.includes(u.id)) return false;
    }
    return true;
  };
}

export function dateFilter(input: Params) {
  const bounds = {
    createdAfter: str(input, "created_after"),
    createdBefore: str(input, "created_before"),
    updatedAfter: str(input, "updated_after"),
    updatedBefore: str(input, "updated_before"),
  };
  const t = (s: string | undefined) => (s === undefined ? undefined : Date.parse(s));
  const ca = t(bounds.createdAfter);
  const cb = t(bounds.createdBefore);
  const ua = t(bounds.updatedAfter);
  const ub = t(bounds.updatedBefore);
  for (const [k, v] of [
    ["created_after", ca],
    ["created_before", cb],
    ["updated_after", ua],
    ["updated_before", ub],
  ] as const) {
    if (v !== undefined && Number.isNaN(v)) throw errors.invalid(k);
  }
  return (item: { createdAt: string; updatedAt: string }): boolean => {
    const c = Date.parse(item.createdAt);
    const u = Date.parse(item.updatedAt);
    if (ca !== undefined && c < ca) return false;
    if (cb !== undefined && c > cb) return false;
    if (ua !== undefined && u < ua) return false;
    if (ub !== undefined && u > ub) return false;
    return true;
  };
}

/** Assignees must be members of the project; others are silently dropped like GitLab does. */
export function memberIds(store: SimStore, project: Project, ids: number[]): number[] {
  return ids.filter((id) => {
    const u = store.users.get(id);
    return u !== undefined && accessLevel(store, u, project) >= ACCESS_LEVEL.guest;
  });
}

function assigneeParam(input: Params): number[] | undefined {
  if (has(input, "assignee_ids")) return intList(input, "assignee_ids") ?? [];
  if (has(input, "assignee_id")) {
    const id = int(input, "assignee_id");
    return id === undefined || id === 0 ? [] : [id];
  }
  return undefined;
}

function canSetMetadata(ctx: RouteContext, project: Project): boolean {
  return level(ctx, project) >= ACCESS_LEVEL.planner;
}

function canUpdateIssue(user: User, lvl: number, issue: Issue): boolean {
  return lvl >= ACCESS_LEVEL.planner || issue.authorId === user.id;
}

export const issueRoutes: RouteDef[] = [
  {
    method: "GET",
    path: "/projects/:id/issues",
    auth: "optional",
    handler: (ctx) => {
      const store = ctx.store;
      const project = loadProject(ctx);
      requireIssuesEnabled(project);
      const input = ctx.input;
      const state = oneOf(input, "state", ["opened", "closed", "all"] as const) ?? "all";
      const iids = intList(input, "iids");
      const confidential = bool(input, "confidential");
      const issueType = oneOf(input, "issue_type", ISSUE_TYPES);
      const orderBy = oneOf(input, "order_by", ISSUE_ORDER_BY) ?? "created_at";
      const sort = oneOf(input, "sort", ["asc", "desc"] as const) ?? "desc";
      const withLabelsDetails = bool(input, "with_labels_details") ?? false;
      const byLabels = labelFilter(store, input);
      const byText = textFilter(input);
      const byDate = dateFilter(input);
      const byAssignee = userFilter(
        input,
        "assignee_id",
        "assignee_username",
        store,
        (i: Issue) => i.assigneeIds,
      );
      const byAuthor = userFilter(input, "author_id", "author_username", store, (i: Issue) => [i.authorId]);
      const user = viewer(ctx);

      let issues = [...store.issues.values()].filter(
        (i) => i.projectId === project.id && canReadIssue(store, user, project, i),
      );
      if (state !== "all") issues = issues.filter((i) => i.state === state);
      if (iids) issues = issues.filter((i) => iids.includes(i.iid));
      if (confidential !== undefined) issues = issues.filter((i) => i.confidential === confidential);
      if (issueType) issues = issues.filter((i) => i.issueType === issueType);
      issues = issues.filter((i) => byLabels(i) && byText(i) && byDate(i) && byAssignee(i) && byAuthor(i));

      const key = (i: Issue): string | number | null => {
        switch (orderBy) {
          case "updated_at":
            return i.updatedAt;
          case "title":
            return i.title.toLowerCase();
          case "due_date":
            return i.dueDate;
          case "relative_position":
            return i.relativePosition;
          default:
            return i.createdAt;
        }
      };
      const sorted = sortBy(issues, key, sort, (i) => i.id);
      return list(ctx, sorted, (i) => issueEntity(store, i, { withLabelsDetails }));
    },
  },
  {
    method: "GET",
    path: "/projects/:id/issues/:issue_iid",
    auth: "optional",
    handler: (ctx) => {
      const project = loadProject(ctx);
      const issue = findReadableIssue(ctx, project, intParam(ctx, "issue_iid"));
      if (!issue) throw errors.notFound();
      return ok(issueEntity(ctx.store, issue, { single: true }));
    },
  },
  {
    method: "POST",
    path: "/projects/:id/issues",
    handler: (ctx) => {
      const store = ctx.store;
      const user = requireViewer(ctx);
      const project = loadProject(ctx);
      requireIssuesEnabled(project);
      if (project.archived) throw errors.forbidden();
      const input = ctx.input;
      const title = str(input, "title");
      if (title === undefined) throw errors.missing("title");
      if (!title.trim()) throw errors.badRequest({ title: ["can't be blank"] });
      const metadata = canSetMetadata(ctx, project);
      const issueType = oneOf(input, "issue_type", ISSUE_TYPES);
      if (issueType === "test_case") throw errors.badRequest({ issue_type: ["is not supported"] });
      const assignees = assigneeParam(input);
      const { issue, events } = createIssue(store, project, {
        title,
        description: str(input, "description") ?? null,
        labels: metadata ? (strList(input, "labels") ?? []) : [],
        assignee_ids: metadata && assignees ? memberIds(store, project, assignees) : [],
        confidential: bool(input, "confidential") ?? false,
        issue_type: (issueType as IssueType | undefined) ?? "issue",
        author_id: user.id,
        created_at: user.isAdmin ? str(input, "created_at") : undefined,
        createLabels: metadata,
      });
      emit(ctx, events);
      return ok(issueEntity(store, issue, { single: true }), 201);
    },
  },
  {
    method: "PUT",
    path: "/projects/:id/issues/:issue_iid",
    handler: (ctx) => {
      const store = ctx.store;
      const user = requireViewer(ctx);
      const project = loadProject(ctx);
      const issue = findReadableIssue(ctx, project, intParam(ctx, "issue_iid"));
      if (!issue) throw errors.notFound();
      const input = ctx.input;
      if (!UPDATE_PARAMS.some((p) => has(input, p))) {
        throw new ApiError(400, {
          error: `${UPDATE_PARAMS.join(", ")} are missing, at least one parameter must be provided`,
        });
      }
      const lvl = level(ctx, project);
      if (!canUpdateIssue(user, lvl, issue)) throw errors.forbidden();
      const stateEvent = oneOf(input, "state_event", ["close", "reopen"] as const);
      const issueType = oneOf(input, "issue_type", ISSUE_TYPES);
      const title = str(input, "title");
      if (title !== undefined && !title.trim()) throw errors.badRequest({ title: ["can't be blank"] });
      const metadata = lvl >= ACCESS_LEVEL.planner;
      const patch: IssuePatch = {
        title,
        description: has(input, "description") ? (str(input, "description") ?? null) : undefined,
        confidential: bool(input, "confidential"),
        discussionLocked: metadata ? bool(input, "discussion_locked") : undefined,
        issueType: issueType === "test_case" ? undefined : (issueType as IssueType | undefined),
        stateEvent,
        createLabels: metadata,
      };
      // Metadata the user may not set (labels, assignees) is silently ignored, as in GitLab.
      if (metadata) {
        if (has(input, "labels")) patch.labels = strList(input, "labels") ?? [];
        patch.addLabels = strList(input, "add_labels");
        patch.removeLabels = strList(input, "remove_labels");
        const assignees = assigneeParam(input);
        if (assignees) patch.assigneeIds = memberIds(store, project, assignees);
      }
      emit(ctx, updateIssue(store, issue, user.id, patch));
      return ok(issueEntity(store, issue, { single: true }));
    },
  },
  {
    method: "DELETE",
    path: "/projects/:id/issues/:issue_iid",
    handler: (ctx) => {
      const project = loadProject(ctx);
      const issue = findReadableIssue(ctx, project, intParam(ctx, "issue_iid"));
      if (!issue) throw errors.notFound();
      if (level(ctx, project) < ACCESS_LEVEL.owner) throw errors.forbidden();
      ctx.store.issues.delete(issue.id);
      for (const n of ctx.store.notesFor("Issue", issue.id)) ctx.store.notes.delete(n.id);
      return { status: 204 };
    },
  },
];
