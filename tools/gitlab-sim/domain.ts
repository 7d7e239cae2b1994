// Mutations of issues, merge requests, labels and notes. They trust their caller (permission checks
// live in the REST routes), record system notes like GitLab, and return the webhook events the change
// triggers, with `changes` computed as GitLab does (only the fields that changed).
import { randomUUID } from "node:crypto";
import type { SimStore } from "./store";
import { SimError } from "./store";
import type {
  ChangeSet,
  Issue,
  IssueType,
  Label,
  MergeRequest,
  MergeRequestHookAction,
  Note,
  Project,
  SimEvent,
} from "./types";
import { draftTitle, isDraftTitle, normaliseColor, sha1, stripDraft, tick } from "./util";

export const DEFAULT_LABEL_COLOR = "#6699CC";

// ---------------------------------------------------------------- labels

export function createLabel(
  store: SimStore,
  project: Project,
  input: { name: string; color?: string; description?: string | null; priority?: number | null },
): Label {
  const title = input.name.trim();
  if (!title || title.includes(",") || title.length > 255) throw new SimError(`invalid label title: ${input.name}`);
  if (store.labelByTitle(project.id, title)) throw new SimError("Label already exists");
  const color = normaliseColor(input.color ?? DEFAULT_LABEL_COLOR);
  if (!color) throw new SimError(`invalid colour: ${input.color}`);
  const now = tick();
  const label: Label = {
    id: store.nextId("label"),
    projectId: project.id,
    title,
    color,
    description: input.description ?? null,
    priority: input.priority ?? null,
    createdAt: now,
    updatedAt: now,
  };
  store.labels.set(label.id, label);
  return label;
}

/** Resolves label names to ids; unknown names are created when `create` is set, otherwise dropped. */
export function resolveLabels(store: SimStore, project: Project, names: string[], create: boolean): number[] {
  const ids: number[] = [];
  for (const raw of names) {
    const name = raw.trim();
    if (!name) continue;
    let label = store.labelByTitle(project.id, name);
    if (!label && create) label = createLabel(store, project, { name });
    if (label && !ids.includes(label.id)) ids.push(label.id);
  }
  return ids;
}

// ---------------------------------------------------------------- change tracking

function diff(before: Record<string, unknown>, after: Record<string, unknown>): ChangeSet {
  const changes: ChangeSet = {};
  for (const key of Object.keys(after)) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      changes[key] = { previous: before[key] ?? null, current: after[key] ?? null };
    }
  }
  return changes;
}

const CONTENT_KEYS = ["title", "description", "labels", "assignees", "reviewers", "confidential", "discussion_locked", "type", "draft", "target_branch", "state_id"];
function hasContentChange(changes: ChangeSet): boolean {
  return CONTENT_KEYS.some((k) => k in changes);
}

function issueSnapshot(i: Issue): Record<string, unknown> {
  return {
    title: i.title,
    description: i.description,
    state_id: i.state === "opened" ? 1 : 2,
    closed_at: i.closedAt,
    confidential: i.confidential,
    discussion_locked: i.discussionLocked,
    type: i.issueType,
    labels: [...i.labelIds],
    assignees: [...i.assigneeIds],
    last_edited_at: i.lastEditedAt,
    last_edited_by_id: i.lastEditedById,
    updated_at: i.updatedAt,
    updated_by_id: i.updatedById,
  };
}

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

// ---------------------------------------------------------------- system notes

function systemNote(store: SimStore, target: Issue | MergeRequest, type: "Issue" | "MergeRequest", authorId: number, body: string): void {
  const now = tick();
  const note: Note = {
    id: store.nextId("note"),
    projectId: target.projectId,
    noteableType: type,
    noteableId: target.id,
    body,
    authorId,
    createdAt: now,
    updatedAt: now,
    updatedById: null,
    system: true,
    internal: false,
    discussionId: sha1(randomUUID()),
  };
  store.notes.set(note.id, note);
}

function labelSystemNote(store: SimStore, target: Issue | MergeRequest, type: "Issue" | "MergeRequest", actorId: number, before: number[], after: number[]): void {
  const added = after.filter((id) => !before.includes(id));
  const removed = before.filter((id) => !after.includes(id));
  if (added.length === 0 && removed.length === 0) return;
  const refs = (ids: number[]) => ids.map((id) => `~${id}`).join(" ");
  const parts: string[] = [];
  if (added.length) parts.push(`added ${refs(added)}`);
  if (removed.length) parts.push(`removed ${refs(removed)}`);
  const count = added.length + removed.length;
  systemNote(store, target, type, actorId, `${parts.join(" and ")} label${count > 1 ? "s" : ""}`);
}

// ---------------------------------------------------------------- issues

export interface IssueCreateInput {
  title: string;
  description?: string | null;
  labels?: string[];
  assignee_ids?: number[];
  state?: "opened" | "closed";
  confidential?: boolean;
  issue_type?: IssueType;
  author_id: number;
  created_at?: string;
  /** Create unknown labels (the author may admin labels). */
  createLabels?: boolean;
}

export function createIssue(store: SimStore, project: Project, input: IssueCreateInput): { issue: Issue; events: SimEvent[] } {
  store.requireUser(input.author_id);
  const now = input.created_at ?? tick();
  const issue: Issue = {
    id: store.nextId("issue"),
    iid: store.nextIssueIid(project.id),
    projectId: project.id,
    title: input.title,
    description: input.description ?? null,
    state: "opened",
    issueType: input.issue_type ?? "issue",
    confidential: input.confidential ?? false,
    authorId: input.author_id,
    assigneeIds: [...new Set(input.assignee_ids ?? [])],
    labelIds: resolveLabels(store, project, input.labels ?? [], input.createLabels ?? true),
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    closedById: null,
    updatedById: null,
    lastEditedAt: null,
    lastEditedById: null,
    discussionLocked: null,
    dueDate: null,
    relativePosition: (store.issues.size + 1) * 513,
  };
  store.issues.set(issue.id, issue);
  project.lastActivityAt = now;
  // `changes` on open lists the attributes set by creation (Rails' previous_changes).
  const changes: ChangeSet = {
    author_id: { previous: null, current: issue.authorId },
    created_at: { previous: null, current: issue.createdAt },
    description: { previous: null, current: issue.description },
    id: { previous: null, current: issue.id },
    iid: { previous: null, current: issue.iid },
    project_id: { previous: null, current: issue.projectId },
    title: { previous: null, current: issue.title },
    updated_at: { previous: null, current: issue.updatedAt },
  };
  if (issue.confidential) changes.confidential = { previous: false, current: true };
  if (issue.labelIds.length) changes.labels = { previous: [], current: [...issue.labelIds] };
  if (issue.assigneeIds.length) changes.assignees = { previous: [], current: [...issue.assigneeIds] };
  const events: SimEvent[] = [{ kind: "issue", issueId: issue.id, action: "open", actorId: input.author_id, changes }];
  if (input.state === "closed") {
    events.push(...updateIssue(store, issue, input.author_id, { stateEvent: "close" }));
  }
  return { issue, events };
}

export interface IssuePatch {
  title?: string;
  description?: string | null;
  labels?: string[];
  addLabels?: string[];
  removeLabels?: string[];
  assigneeIds?: number[];
  confidential?: boolean;
  issueType?: IssueType;
  discussionLocked?: boolean;
  stateEvent?: "close" | "reopen";
  /** Unknown label names are created (the acting user may admin labels). */
  createLabels?: boolean;
  /** Emit an `update` event even if nothing changed (control API). */
  force?: boolean;
}

function applyLabelPatch(store: SimStore, project: Project, current: number[], patch: { labels?: string[]; addLabels?: string[]; removeLabels?: string[]; createLabels?: boolean }): number[] {
  let ids = [...current];
  const create = patch.createLabels ?? true;
  if (patch.labels !== undefined) ids = resolveLabels(store, project, patch.labels, create);
  if (patch.addLabels) {
    for (const id of resolveLabels(store, project, patch.addLabels, create)) if (!ids.includes(id)) ids.push(id);
  }
  if (patch.removeLabels) {
    const remove = resolveLabels(store, project, patch.removeLabels, false);
    ids = ids.filter((id) => !remove.includes(id));
  }
  return ids;
}

export function updateIssue(store: SimStore, issue: Issue, actorId: number, patch: IssuePatch): SimEvent[] {
  const project = store.requireProject(issue.projectId);
  const events: SimEvent[] = [];
  const before = issueSnapshot(issue);
  const labelsBefore = [...issue.labelIds];
  const titleBefore = issue.title;

  if (patch.title !== undefined) issue.title = patch.title;
  if (patch.description !== undefined) issue.description = patch.description;
  if (patch.confidential !== undefined) issue.confidential = patch.confidential;
  if (patch.issueType !== undefined) issue.issueType = patch.issueType;
  if (patch.discussionLocked !== undefined) issue.discussionLocked = patch.discussionLocked;
  if (patch.assigneeIds !== undefined) issue.assigneeIds = [...new Set(patch.assigneeIds)];
  issue.labelIds = applyLabelPatch(store, project, issue.labelIds, patch);

  const contentChanges = diff(before, issueSnapshot(issue));
  if (hasContentChange(contentChanges) || patch.force) {
    const now = tick();
    if ("title" in contentChanges || "description" in contentChanges) {
      issue.lastEditedAt = now;
      issue.lastEditedById = actorId;
    }
    issue.updatedAt = now;
    issue.updatedById = actorId;
    project.lastActivityAt = now;
    labelSystemNote(store, issue, "Issue", actorId, labelsBefore, issue.labelIds);
    if (issue.title !== titleBefore) {
      systemNote(store, issue, "Issue", actorId, `changed title from **${titleBefore}** to **${issue.title}**`);
    }
    events.push({ kind: "issue", issueId: issue.id, action: "update", actorId, changes: diff(before, issueSnapshot(issue)) });
  }

  if (patch.stateEvent === "close" && issue.state === "opened") {
    const b = issueSnapshot(issue);
    const now = tick();
    issue.state = "closed";
    issue.closedAt = now;
    issue.closedById = actorId;
    issue.updatedAt = now;
    issue.updatedById = actorId;
    systemNote(store, issue, "Issue", actorId, "closed");
    events.push({ kind: "issue", issueId: issue.id, action: "close", actorId, changes: diff(b, issueSnapshot(issue)) });
  } else if (patch.stateEvent === "reopen" && issue.state === "closed") {
    const b = issueSnapshot(issue);
    const now = tick();
    issue.state = "opened";
    issue.closedAt = null;
    issue.closedById = null;
    issue.updatedAt = now;
    issue.updatedById = actorId;
    systemNote(store, issue, "Issue", actorId, "reopened");
    events.push({ kind: "issue", issueId: issue.id, action: "reopen", actorId, changes: diff(b, issueSnapshot(issue)) });
  }
  return events;
}

// ---------------------------------------------------------------- merge requests

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

export function createMergeRequest(store: SimStore, project: Project, input: MergeRequestCreateInput): { mergeRequest: MergeRequest; events: SimEvent[] } {
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
  const events: SimEvent[] = [{ kind: "merge_request", mergeRequestId: mr.id, action: "open", actorId: input.author_id, changes }];
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

export function updateMergeRequest(store: SimStore, mr: MergeRequest, actorId: number, patch: MergeRequestPatch): SimEvent[] {
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
      systemNote(store, mr, "MergeRequest", actorId, draftNow ? "marked this merge request as **draft**" : "marked this merge request as **ready**");
    } else if (mr.title !== titleBefore) {
      systemNote(store, mr, "MergeRequest", actorId, `changed title from **${titleBefore}** to **${mr.title}**`);
    }
    events.push({ kind: "merge_request", mergeRequestId: mr.id, action: "update", actorId, changes: diff(before, mrSnapshot(mr)) });
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
      return [{ kind: "merge_request", mergeRequestId: mr.id, action, actorId, changes: diff(b, mrSnapshot(mr)) }];
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
      return [{ kind: "merge_request", mergeRequestId: mr.id, action, actorId, changes: diff(b, mrSnapshot(mr)) }];
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
      return [{ kind: "merge_request", mergeRequestId: mr.id, action, actorId, changes: diff(b, mrSnapshot(mr)) }];
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

// ---------------------------------------------------------------- notes

export function createNote(
  store: SimStore,
  target: { type: "Issue" | "MergeRequest"; record: Issue | MergeRequest },
  authorId: number,
  body: string,
  opts: { internal?: boolean; createdAt?: string } = {},
): { note: Note; events: SimEvent[] } {
  const now = opts.createdAt ?? tick();
  const note: Note = {
    id: store.nextId("note"),
    projectId: target.record.projectId,
    noteableType: target.type,
    noteableId: target.record.id,
    body,
    authorId,
    createdAt: now,
    updatedAt: now,
    updatedById: null,
    system: false,
    internal: opts.internal ?? false,
    discussionId: sha1(randomUUID()),
  };
  store.notes.set(note.id, note);
  const project = store.projects.get(note.projectId);
  if (project) project.lastActivityAt = now;
  return { note, events: [{ kind: "note", noteId: note.id, action: "create", actorId: authorId }] };
}

export function updateNote(store: SimStore, note: Note, actorId: number, body: string): SimEvent[] {
  note.body = body;
  note.updatedAt = tick();
  note.updatedById = actorId;
  const project = store.projects.get(note.projectId);
  if (project) project.lastActivityAt = note.updatedAt;
  return [{ kind: "note", noteId: note.id, action: "update", actorId }];
}
