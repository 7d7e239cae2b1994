// Merge request mutations: create, edit, and the close/reopen/merge/approval transitions, with the
// system notes and webhook events GitLab produces.
import type { SimStore } from "../store";
import type { ChangeSet, MergeRequest, MergeRequestHookAction, Project, SimEvent } from "../types";
import { draftTitle, isDraftTitle, sha1, stripDraft, tick } from "../util";
import { diff, hasContentChange } from "./changes";
import { applyLabelPatch, resolveLabels } from "./labels";
import { labelSystemNote, systemNote } from "./system-notes";

export const MR_STATE_ID = { opened: 1, closed: 2, merged: 3, locked: 4 } as const;

function mrSnapshot(m: MergeRequest): Record<string, unknown> {
  return {
    title: m.title,
    description: m.description,
    state_id: MR_STATE_ID[m.state],
    draft: isDraftTitle(m.title),
    target_branch: m.targetBranch,
    discussion_locked: m.discussionLocked,
    labels: [...m.labelIds],
    assignees: [...m.assigneeIds],
    reviewers: [...m.reviewerIds],
    last_edited_at: m.lastEditedAt,
    last_edited_by_id: m.lastEditedById,
    updated_at: m.updatedAt,
    updated_by_id: m.updatedById,
  };
}

export interface MergeRequestCreateInput {
  title: string;
  description?: string | null;
  draft?: boolean;
  state?: "opened" | "closed" | "merged" | "locked";
  source_branch?: string;
  target_branch?: string;
  labels?: string[];
  assignee_ids?: number[];
  reviewer_ids?: number[];
  author_id: number;
  createLabels?: boolean;
}

export function createMergeRequest(
  store: SimStore,
  project: Project,
  input: MergeRequestCreateInput,
): { mergeRequest: MergeRequest; events: SimEvent[] } {
  store.requireUser(input.author_id);
  const now = tick();
  const iid = store.nextMergeRequestIid(project.id);
  let title = input.title;
  if (input.draft === true) title = draftTitle(title);
  if (input.draft === false) title = stripDraft(title);
  const mr: MergeRequest = {
    id: store.nextId("mergeRequest"),
    iid,
    projectId: project.id,
    title,
    description: input.description ?? null,
    state: "opened",
    sourceBranch: input.source_branch ?? `feature/mr-${iid}`,
    targetBranch: input.target_branch ?? project.defaultBranch,
    authorId: input.author_id,
    assigneeIds: [...new Set(input.assignee_ids ?? [])],
    reviewerIds: [...new Set(input.reviewer_ids ?? [])],
    labelIds: resolveLabels(store, project, input.labels ?? [], input.createLabels ?? true),
    createdAt: now,
    updatedAt: now,
    preparedAt: now,
    closedAt: null,
    closedById: null,
    mergedAt: null,
    mergeUserId: null,
    mergeCommitSha: null,
    sha: sha1(`${project.id}:${iid}:${now}`),
    updatedById: null,
    lastEditedAt: null,
    lastEditedById: null,
    discussionLocked: null,
    approvedByIds: [],
  };
  store.mergeRequests.set(mr.id, mr);
  project.lastActivityAt = now;
  const changes: ChangeSet = {
    author_id: { previous: null, current: mr.authorId },
    created_at: { previous: null, current: mr.createdAt },
    description: { previous: null, current: mr.description },
    id: { previous: null, current: mr.id },
    iid: { previous: null, current: mr.iid },
    source_branch: { previous: null, current: mr.sourceBranch },
    target_branch: { previous: null, current: mr.targetBranch },
    title: { previous: null, current: mr.title },
    updated_at: { previous: null, current: mr.updatedAt },
  };
  if (isDraftTitle(mr.title)) changes.draft = { previous: false, current: true };
  if (mr.labelIds.length) changes.labels = { previous: [], current: [...mr.labelIds] };
  const events: SimEvent[] = [
    { kind: "merge_request", mergeRequestId: mr.id, action: "open", actorId: input.author_id, changes },
  ];
  if (input.state === "closed") events.push(...mergeRequestTransition(store, mr, input.author_id, "close"));
  if (input.state === "merged") events.push(...mergeRequestTransition(store, mr, input.author_id, "merge"));
  if (input.state === "locked") mr.state = "locked";
  return { mergeRequest: mr, events };
}

export interface MergeRequestPatch {
  title?: string;
  description?: string | null;
  draft?: boolean;
  targetBranch?: string;
  labels?: string[];
  addLabels?: string[];
  removeLabels?: string[];
  assigneeIds?: number[];
  reviewerIds?: number[];
  discussionLocked?: boolean;
  stateEvent?: "close" | "reopen";
  createLabels?: boolean;
  force?: boolean;
}

export function updateMergeRequest(
  store: SimStore,
  mr: MergeRequest,
  actorId: number,
  patch: MergeRequestPatch,
): SimEvent[] {
  const project = store.requireProject(mr.projectId);
  const events: SimEvent[] = [];
  const before = mrSnapshot(mr);
  const labelsBefore = [...mr.labelIds];
  const draftBefore = isDraftTitle(mr.title);
  const titleBefore = mr.title;

  if (patch.title !== undefined) mr.title = patch.title;
  if (patch.draft === true) mr.title = draftTitle(mr.title);
  if (patch.draft === false) mr.title = stripDraft(mr.title);
  if (patch.description !== undefined) mr.description = patch.description;
  if (patch.targetBranch !== undefined) mr.targetBranch = patch.targetBranch;
  if (patch.discussionLocked !== undefined) mr.discussionLocked = patch.discussionLocked;
  if (patch.assigneeIds !== undefined) mr.assigneeIds = [...new Set(patch.assigneeIds)];
  if (patch.reviewerIds !== undefined) mr.reviewerIds = [...new Set(patch.reviewerIds)];
  mr.labelIds = applyLabelPatch(store, project, mr.labelIds, patch);

  const contentChanges = diff(before, mrSnapshot(mr));
  if (hasContentChange(contentChanges) || patch.force) {
    const now = tick();
    if ("title" in contentChanges || "description" in contentChanges) {
      mr.lastEditedAt = now;
      mr.lastEditedById = actorId;
    }
    mr.updatedAt = now;
    mr.updatedById = actorId;
    project.lastActivityAt = now;
    labelSystemNote(store, mr, "MergeRequest", actorId, labelsBefore, mr.labelIds);
    const draftNow = isDraftTitle(mr.title);
    if (draftNow !== draftBefore) {
      systemNote(
        store,
        mr,
        "MergeRequest",
        actorId,
        draftNow ? "marked this merge request as **draft**" : "marked this merge request as **ready**",
      );
    } else if (mr.title !== titleBefore) {
      systemNote(
        store,
        mr,
        "MergeRequest",
        actorId,
        `changed title from **${titleBefore}** to **${mr.title}**`,
      );
    }
    events.push({
      kind: "merge_request",
      mergeRequestId: mr.id,
      action: "update",
      actorId,
      changes: diff(before, mrSnapshot(mr)),
    });
  }
  if (patch.stateEvent) events.push(...mergeRequestTransition(store, mr, actorId, patch.stateEvent));
  return events;
}

/** close / reopen / merge / approvals. Returns no event when the transition does not apply. */
export function mergeRequestTransition(
  store: SimStore,
  mr: MergeRequest,
  actorId: number,
  action: Exclude<MergeRequestHookAction, "open" | "update">,
): SimEvent[] {
  const now = tick();
  switch (action) {
    case "close": {
      if (mr.state !== "opened" && mr.state !== "locked") return [];
      const b = mrSnapshot(mr);
      mr.state = "closed";
      mr.closedAt = now;
      mr.closedById = actorId;
      mr.updatedAt = now;
      mr.updatedById = actorId;
      systemNote(store, mr, "MergeRequest", actorId, "closed");
      return [
        { kind: "merge_request", mergeRequestId: mr.id, action, actorId, changes: diff(b, mrSnapshot(mr)) },
      ];
    }
    case "reopen": {
      if (mr.state !== "closed") return [];
      const b = mrSnapshot(mr);
      mr.state = "opened";
      mr.closedAt = null;
      mr.closedById = null;
      mr.updatedAt = now;
      mr.updatedById = actorId;
      systemNote(store, mr, "MergeRequest", actorId, "reopened");
      return [
        { kind: "merge_request", mergeRequestId: mr.id, action, actorId, changes: diff(b, mrSnapshot(mr)) },
      ];
    }
    case "merge": {
      if (mr.state !== "opened" && mr.state !== "locked") return [];
      // GitLab locks the MR while merging, so the hook reports the state change locked → merged.
      mr.state = "locked";
      const b = mrSnapshot(mr);
      mr.state = "merged";
      mr.mergedAt = now;
      mr.mergeUserId = actorId;
      mr.mergeCommitSha = sha1(`merge:${mr.id}:${now}`);
      mr.updatedAt = now;
      mr.updatedById = actorId;
      systemNote(store, mr, "MergeRequest", actorId, `merged`);
      return [
        { kind: "merge_request", mergeRequestId: mr.id, action, actorId, changes: diff(b, mrSnapshot(mr)) },
      ];
    }
    case "approval":
    case "approved":
      if (!mr.approvedByIds.includes(actorId)) {
        mr.approvedByIds.push(actorId);
        systemNote(store, mr, "MergeRequest", actorId, "approved this merge request");
      }
      return [{ kind: "merge_request", mergeRequestId: mr.id, action, actorId, changes: {} }];
    case "unapproval":
    case "unapproved":
      if (mr.approvedByIds.includes(actorId)) {
        mr.approvedByIds = mr.approvedByIds.filter((id) => id !== actorId);
        systemNote(store, mr, "MergeRequest", actorId, "unapproved this merge request");
      }
      return [{ kind: "merge_request", mergeRequestId: mr.id, action, actorId, changes: {} }];
  }
}
