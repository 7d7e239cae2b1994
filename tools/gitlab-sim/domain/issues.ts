// Issue mutations. They record system notes like GitLab and return the webhook events the change
// triggers, with `changes` computed as GitLab does.
import type { SimStore } from "../store";
import type { ChangeSet, Issue, IssueType, Project, SimEvent } from "../types";
import { tick } from "../util";
import { diff, hasContentChange } from "./changes";
import { applyLabelPatch, resolveLabels } from "./labels";
import { labelSystemNote, systemNote } from "./system-notes";

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

export function createIssue(
  store: SimStore,
  project: Project,
  input: IssueCreateInput,
): { issue: Issue; events: SimEvent[] } {
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
  const events: SimEvent[] = [
    { kind: "issue", issueId: issue.id, action: "open", actorId: input.author_id, changes },
  ];
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
      systemNote(
        store,
        issue,
        "Issue",
        actorId,
        `changed title from **${titleBefore}** to **${issue.title}**`,
      );
    }
    events.push({
      kind: "issue",
      issueId: issue.id,
      action: "update",
      actorId,
      changes: diff(before, issueSnapshot(issue)),
    });
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
    events.push({
      kind: "issue",
      issueId: issue.id,
      action: "close",
      actorId,
      changes: diff(b, issueSnapshot(issue)),
    });
  } else if (patch.stateEvent === "reopen" && issue.state === "closed") {
    const b = issueSnapshot(issue);
    const now = tick();
    issue.state = "opened";
    issue.closedAt = null;
    issue.closedById = null;
    issue.updatedAt = now;
    issue.updatedById = actorId;
    systemNote(store, issue, "Issue", actorId, "reopened");
    events.push({
      kind: "issue",
      issueId: issue.id,
      action: "reopen",
      actorId,
      changes: diff(b, issueSnapshot(issue)),
    });
  }
  return events;
}
