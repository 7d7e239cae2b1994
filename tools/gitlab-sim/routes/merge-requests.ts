// Project merge requests: list, single, create, edit.
import { createMergeRequest, type MergeRequestPatch, updateMergeRequest } from "../domain/merge-requests";
import { mergeRequestEntity, mergeRequestWebUrl } from "../entities/merge-requests";
import {
  ApiError,
  bool,
  errors,
  has,
  int,
  intList,
  oneOf,
  type Params,
  requiredStr,
  str,
  strList,
} from "../http";
import type { RouteContext, RouteDef } from "../router";
import type { MergeRequest, Project } from "../types";
import { ACCESS_LEVEL } from "../types";
import { isDraftTitle } from "../util";
import { emit, intParam, level, list, loadProject, ok, requireViewer, sortBy, viewer } from "./common";
import { dateFilter, labelFilter, memberIds, textFilter, userFilter } from "./issues";
import { canReadMergeRequests } from "../permissions";

const MR_ORDER_BY = [
  "created_at",
  "updated_at",
  "title",
  "merged_at",
  "label_priority",
  "milestone_due",
  "popularity",
  "priority",
] as const;
const UPDATE_PARAMS = [
  "target_branch",
  "title",
  "assignee_id",
  "assignee_ids",
  "reviewer_ids",
  "milestone_id",
  "labels",
  "add_labels",
  "remove_labels",
  "description",
  "state_event",
  "remove_source_branch",
  "squash",
  "discussion_locked",
  "allow_collaboration",
  "allow_maintainer_to_push",
  "merge_after",
];

function requireMergeRequestsReadable(ctx: RouteContext, project: Project): void {
  if (!canReadMergeRequests(ctx.store, viewer(ctx), project)) throw errors.forbidden();
}

export function findMergeRequest(ctx: RouteContext, project: Project, iid: number): MergeRequest | undefined {
  if (!canReadMergeRequests(ctx.store, viewer(ctx), project)) return undefined;
  return ctx.store.mergeRequestByIid(project.id, iid);
}

function assigneeParam(input: Params): number[] | undefined {
  if (has(input, "assignee_ids")) return intList(input, "assignee_ids") ?? [];
  if (has(input, "assignee_id")) {
    const id = int(input, "assignee_id");
    return id === undefined || id === 0 ? [] : [id];
  }
  return undefined;
}

function simpleView(ctx: RouteContext, mr: MergeRequest) {
  return {
    id: mr.id,
    iid: mr.iid,
    project_id: mr.projectId,
    title: mr.title,
    description: mr.description,
    state: mr.state,
    created_at: mr.createdAt,
    updated_at: mr.updatedAt,
    web_url: mergeRequestWebUrl(ctx.store, mr),
  };
}

export const mergeRequestRoutes: RouteDef[] = [
  {
    method: "GET",
    path: "/projects/:id/merge_requests",
    auth: "optional",
    handler: (ctx) => {
      const store = ctx.store;
      const project = loadProject(ctx);
      requireMergeRequestsReadable(ctx, project);
      const input = ctx.input;
      const state = oneOf(input, "state", ["opened", "closed", "locked", "merged", "all"] as const) ?? "all";
      const iids = intList(input, "iids");
      const wip = oneOf(input, "wip", ["yes", "no"] as const);
      const draft = bool(input, "draft");
      const sourceBranch = str(input, "source_branch");
      const targetBranch = str(input, "target_branch");
      const orderBy = oneOf(input, "order_by", MR_ORDER_BY) ?? "created_at";
      const sort = oneOf(input, "sort", ["asc", "desc"] as const) ?? "desc";
      const view = oneOf(input, "view", ["simple"] as const);
      const withLabelsDetails = bool(input, "with_labels_details") ?? false;
      const byLabels = labelFilter(store, input);
      const byText = textFilter(input);
      const byDate = dateFilter(input);
      const byAuthor = userFilter(input, "author_id", "author_username", store, (m: MergeRequest) => [
        m.authorId,
      ]);
      const byAssignee = userFilter(
        input,
        "assignee_id",
        "assignee_username",
        store,
        (m: MergeRequest) => m.assigneeIds,
      );
      const byReviewer = userFilter(
        input,
        "reviewer_id",
        "reviewer_username",
        store,
        (m: MergeRequest) => m.reviewerIds,
      );

      let mrs = [...store.mergeRequests.values()].filter((m) => m.projectId === project.id);
      if (state !== "all") mrs = mrs.filter((m) => m.state === state);
      if (iids) mrs = mrs.filter((m) => iids.includes(m.iid));
      if (wip) mrs = mrs.filter((m) => isDraftTitle(m.title) === (wip === "yes"));
      if (draft !== undefined) mrs = mrs.filter((m) => isDraftTitle(m.title) === draft);
      if (sourceBranch) mrs = mrs.filter((m) => m.sourceBranch === sourceBranch);
      if (targetBranch) mrs = mrs.filter((m) => m.targetBranch === targetBranch);
      mrs = mrs.filter(
        (m) => byLabels(m) && byText(m) && byDate(m) && byAuthor(m) && byAssignee(m) && byReviewer(m),
      );
      const key = (m: MergeRequest): string | number | null => {
        switch (orderBy) {
          case "updated_at":
            return m.updatedAt;
          case "title":
            return m.title.toLowerCase();
          case "merged_at":
            return m.mergedAt;
          default:
            return m.createdAt;
        }
      };
      const sorted = sortBy(mrs, key, sort, (m) => m.id);
      return list(ctx, sorted, (m) =>
        view === "simple" ? simpleView(ctx, m) : mergeRequestEntity(store, m, { withLabelsDetails }),
      );
    },
  },
  {
    method: "GET",
    path: "/projects/:id/merge_requests/:merge_request_iid",
    auth: "optional",
    handler: (ctx) => {
      const project = loadProject(ctx);
      const mr = findMergeRequest(ctx, project, intParam(ctx, "merge_request_iid"));
      if (!mr) throw errors.notFound();
      return ok(mergeRequestEntity(ctx.store, mr, { single: true }));
    },
  },
  {
    method: "POST",
    path: "/projects/:id/merge_requests",
    handler: (ctx) => {
      const store = ctx.store;
      const user = requireViewer(ctx);
      const project = loadProject(ctx);
      const input = ctx.input;
      const sourceBranch = requiredStr(input, "source_branch");
      const targetBranch = requiredStr(input, "target_branch");
      const title = requiredStr(input, "title");
      if (level(ctx, project) < ACCESS_LEVEL.developer || !project.mergeRequestsEnabled)
        throw errors.forbidden();
      if (sourceBranch === targetBranch) {
        throw new ApiError(422, { message: ["You can't use same project/branch for source and target"] });
      }
      const existing = [...store.mergeRequests.values()].find(
        (m) =>
          m.projectId === project.id &&
          m.state === "opened" &&
          m.sourceBranch === sourceBranch &&
          m.targetBranch === targetBranch,
      );
      if (existing) {
        throw new ApiError(409, {
          message: [`Another open merge request already exists for this source branch: !${existing.iid}`],
        });
      }
      const assignees = assigneeParam(input);
      const { mergeRequest, events } = createMergeRequest(store, project, {
        title,
        description: str(input, "description") ?? null,
        source_branch: sourceBranch,
        target_branch: targetBranch,
        labels: strList(input, "labels") ?? [],
        assignee_ids: assignees ? memberIds(store, project, assignees) : [],
        reviewer_ids: memberIds(store, project, intList(input, "reviewer_ids") ?? []),
        author_id: user.id,
      });
      emit(ctx, events);
      return ok(mergeRequestEntity(store, mergeRequest, { single: true }), 201);
    },
  },
  {
    method: "PUT",
    path: "/projects/:id/merge_requests/:merge_request_iid",
    handler: (ctx) => {
      const store = ctx.store;
      const user = requireViewer(ctx);
      const project = loadProject(ctx);
      const mr = findMergeRequest(ctx, project, intParam(ctx, "merge_request_iid"));
      if (!mr) throw errors.notFound();
      const input = ctx.input;
      if (!UPDATE_PARAMS.some((p) => has(input, p))) {
        throw new ApiError(400, {
          error: `${UPDATE_PARAMS.join(", ")} are missing, at least one parameter must be provided`,
        });
      }
      const lvl = level(ctx, project);
      const metadata = lvl >= ACCESS_LEVEL.reporter;
      const fullUpdate = lvl >= ACCESS_LEVEL.developer || mr.authorId === user.id;
      const metadataKeys = [
        "labels",
        "add_labels",
        "remove_labels",
        "assignee_id",
        "assignee_ids",
        "reviewer_ids",
        "milestone_id",
      ];
      const onlyMetadata = UPDATE_PARAMS.filter((p) => has(input, p)).every((p) => metadataKeys.includes(p));
      if (!fullUpdate && !(metadata && onlyMetadata)) throw errors.forbidden();
      const stateEvent = oneOf(input, "state_event", ["close", "reopen"] as const);
      const title = str(input, "title");
      if (title !== undefined && !title.trim()) throw errors.badRequest({ title: ["can't be blank"] });
      const patch: MergeRequestPatch = {
        title: fullUpdate ? title : undefined,
        description:
          fullUpdate && has(input, "description") ? (str(input, "description") ?? null) : undefined,
        targetBranch: fullUpdate ? str(input, "target_branch") : undefined,
        discussionLocked: fullUpdate ? bool(input, "discussion_locked") : undefined,
        stateEvent: fullUpdate ? stateEvent : undefined,
        createLabels: metadata,
      };
      if (metadata) {
        if (has(input, "labels")) patch.labels = strList(input, "labels") ?? [];
        patch.addLabels = strList(input, "add_labels");
        patch.removeLabels = strList(input, "remove_labels");
        const assignees = assigneeParam(input);
        if (assignees) patch.assigneeIds = memberIds(store, project, assignees);
        if (has(input, "reviewer_ids"))
          patch.reviewerIds = memberIds(store, project, intList(input, "reviewer_ids") ?? []);
      }
      emit(ctx, updateMergeRequest(store, mr, user.id, patch));
      return ok(mergeRequestEntity(store, mr, { single: true }));
    },
  },
];
