// Turns a simulator event into the webhook body, `X-Gitlab-Event` header and hook filter GitLab uses.
import { issueWebUrl } from "../entities/issues";
import { mergeRequestWebUrl } from "../entities/merge-requests";
import type { SimStore } from "../store";
import type { PayloadStyle, SimEvent, User } from "../types";
import { versionAtLeast } from "../util";
import { convertChanges } from "./changes";
import { type BuiltEvent, hookLabel, hookProject, hookUser, type Json, repository } from "./common";
import { issueHookAttrs } from "./issues";
import { mergeRequestHookAttrs } from "./merge-requests";
import { noteHookAttrs } from "./notes";

export function buildEvent(store: SimStore, event: SimEvent, style: PayloadStyle): BuiltEvent | null {
  const modern = style === "modern";
  if (event.kind === "issue") {
    const issue = store.issues.get(event.issueId);
    if (!issue) return null;
    const project = store.requireProject(issue.projectId);
    const workItem = modern && issue.issueType === "task";
    const objectKind = workItem ? "work_item" : "issue";
    const attrs = { ...issueHookAttrs(store, issue, style), action: event.action };
    const payload: Json = {
      object_kind: objectKind,
      ...(modern ? { event_type: issue.confidential ? `confidential_${objectKind}` : objectKind } : {}),
      user: hookUser(store.users.get(event.actorId), style),
      project: hookProject(store, project, style),
      object_attributes: attrs,
      labels: store.labelsByIds(issue.labelIds).map((l) => hookLabel(l, style)),
      changes: convertChanges(store, event.changes, style, "issue"),
      repository: repository(store, project),
    };
    const assignees = issue.assigneeIds
      .map((id) => store.users.get(id))
      .filter((u): u is User => u !== undefined);
    if (assignees.length) payload.assignees = assignees.map((u) => hookUser(u, style));
    const confidential = issue.confidential;
    return {
      projectId: project.id,
      header: confidential ? "Confidential Issue Hook" : "Issue Hook",
      objectKind,
      action: event.action,
      payload,
      accepts: (h) => (confidential ? h.confidentialIssuesEvents : h.issuesEvents),
    };
  }

  if (event.kind === "merge_request") {
    const mr = store.mergeRequests.get(event.mergeRequestId);
    if (!mr) return null;
    const project = store.requireProject(mr.projectId);
    const payload: Json = {
      object_kind: "merge_request",
      ...(modern ? { event_type: "merge_request" } : {}),
      user: hookUser(store.users.get(event.actorId), style),
      project: hookProject(store, project, style),
      object_attributes: { ...mergeRequestHookAttrs(store, mr, style), action: event.action },
      labels: store.labelsByIds(mr.labelIds).map((l) => hookLabel(l, style)),
      changes: convertChanges(store, event.changes, style, "merge_request"),
      repository: repository(store, project),
    };
    const assignees = mr.assigneeIds
      .map((id) => store.users.get(id))
      .filter((u): u is User => u !== undefined);
    const reviewers = mr.reviewerIds
      .map((id) => store.users.get(id))
      .filter((u): u is User => u !== undefined);
    if (modern) {
      if (assignees.length) payload.assignees = assignees.map((u) => hookUser(u, style));
      if (reviewers.length) payload.reviewers = reviewers.map((u) => hookUser(u, style));
    } else if (assignees[0]) {
      payload.assignee = hookUser(assignees[0], style);
    }
    return {
      projectId: project.id,
      header: "Merge Request Hook",
      objectKind: "merge_request",
      action: event.action,
      payload,
      accepts: (h) => h.mergeRequestsEvents,
    };
  }

  const note = store.notes.get(event.noteId);
  if (!note) return null;
  const project = store.requireProject(note.projectId);
  const issue = note.noteableType === "Issue" ? store.issues.get(note.noteableId) : undefined;
  const mr = note.noteableType === "MergeRequest" ? store.mergeRequests.get(note.noteableId) : undefined;
  const noteableUrl = issue
    ? issueWebUrl(store, issue, !modern)
    : mr
      ? mergeRequestWebUrl(store, mr, !modern)
      : store.projectWebUrl(project);
  const confidential = note.internal || (issue?.confidential ?? false);
  const action = modern && versionAtLeast(store.version, "16.11.0") ? event.action : null;
  const attrs = noteHookAttrs(note, style, action, `${noteableUrl}#note_${note.id}`);
  const payload: Json = {
    object_kind: "note",
    ...(modern ? { event_type: confidential ? "confidential_note" : "note" } : {}),
    user: hookUser(store.users.get(event.actorId), style),
    project_id: project.id,
    project: hookProject(store, project, style),
    object_attributes: attrs,
    repository: repository(store, project),
  };
  if (issue) payload.issue = issueHookAttrs(store, issue, style);
  if (mr) payload.merge_request = mergeRequestHookAttrs(store, mr, style);
  return {
    projectId: project.id,
    header: confidential ? "Confidential Note Hook" : "Note Hook",
    objectKind: "note",
    action,
    payload,
    accepts: (h) => (confidential ? h.confidentialNoteEvents : h.noteEvents),
  };
}
