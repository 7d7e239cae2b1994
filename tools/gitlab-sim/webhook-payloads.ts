// Webhook request bodies in GitLab's hook format. `modern` follows current gitlab.com captures
// (event_type, project.id, state_id, draft, ISO timestamps, `/-/` URLs, work_item kind for tasks);
// `legacy` follows GitLab ~10.x (no event_type or project.id, `YYYY-MM-DD HH:MM:SS UTC` timestamps,
// URLs without `/-/`, `work_in_progress` without `draft`, `changes.state` instead of `state_id`).
import { detailedMergeStatus, issueWebUrl, mergeRequestWebUrl } from "./entities";
import { MR_STATE_ID } from "./domain";
import type { SimStore } from "./store";
import type { ChangeSet, Hook, Issue, Label, MergeRequest, Note, PayloadStyle, Project, SimEvent, User } from "./types";
import { gravatar, isDraftTitle, legacyTimestamp } from "./util";

export interface BuiltEvent {
  projectId: number;
  /** `X-Gitlab-Event` header value. */
  header: string;
  objectKind: string;
  action: string | null;
  payload: Record<string, unknown>;
  accepts(hook: Hook): boolean;
}

type Json = Record<string, unknown>;

function ts(style: PayloadStyle, iso: string | null): string | null {
  if (iso === null) return null;
  return style === "legacy" ? legacyTimestamp(iso) : iso;
}

export function hookUser(user: User | undefined, style: PayloadStyle): Json {
  if (!user) return { name: "Ghost User", username: "ghost", avatar_url: null };
  const base = { id: user.id, name: user.name, username: user.username, avatar_url: gravatar(user.email), email: user.publicEmail ?? "[REDACTED]" };
  if (style === "legacy") return { name: base.name, username: base.username, avatar_url: base.avatar_url };
  return base;
}

export function hookProject(store: SimStore, p: Project, style: PayloadStyle): Json {
  const fullPath = store.projectFullPath(p);
  const webUrl = store.projectWebUrl(p);
  const ssh = `git@${store.host}:${fullPath}.git`;
  const visibilityLevel = p.visibility === "public" ? 20 : p.visibility === "internal" ? 10 : 0;
  const block: Json = {
    id: p.id,
    name: p.name,
    description: p.description ?? "",
    web_url: webUrl,
    avatar_url: null,
    git_ssh_url: ssh,
    git_http_url: `${webUrl}.git`,
    namespace: store.projectNamespace(p).name,
    visibility_level: visibilityLevel,
    path_with_namespace: fullPath,
    default_branch: p.defaultBranch,
    ci_config_path: style === "legacy" ? null : "",
    homepage: webUrl,
    url: ssh,
    ssh_url: ssh,
    http_url: `${webUrl}.git`,
  };
  if (style === "legacy") delete block.id;
  return block;
}

function repository(store: SimStore, p: Project): Json {
  return {
    name: p.name,
    url: `git@${store.host}:${store.projectFullPath(p)}.git`,
    description: p.description ?? "",
    homepage: store.projectWebUrl(p),
  };
}

function hookLabel(l: Label, style: PayloadStyle): Json {
  return {
    id: l.id,
    title: l.title,
    color: l.color,
    project_id: l.projectId,
    created_at: ts(style, l.createdAt),
    updated_at: ts(style, l.updatedAt),
    template: false,
    description: l.description,
    type: "ProjectLabel",
    group_id: null,
  };
}

const ISSUE_TYPE_NAME = { issue: "Issue", task: "Task", incident: "Incident" } as const;

function workItemStatus(issue: Issue): Json {
  return issue.state === "opened"
    ? { id: "gid://gitlab/WorkItems::Statuses::SystemDefined::Status/1", name: "To do", category: "to_do", description: null, color: "#737278" }
    : { id: "gid://gitlab/WorkItems::Statuses::SystemDefined::Status/3", name: "Done", category: "done", description: null, color: "#108548" };
}

export function issueHookAttrs(store: SimStore, issue: Issue, style: PayloadStyle): Json {
  const labels = store.labelsByIds(issue.labelIds).map((l) => hookLabel(l, style));
  if (style === "legacy") {
    return {
      assignee_id: issue.assigneeIds[0] ?? null,
      author_id: issue.authorId,
      branch_name: null,
      closed_at: ts(style, issue.closedAt),
      confidential: issue.confidential,
      created_at: ts(style, issue.createdAt),
      deleted_at: null,
      description: issue.description,
      due_date: issue.dueDate,
      id: issue.id,
      iid: issue.iid,
      last_edited_at: ts(style, issue.lastEditedAt),
      last_edited_by_id: issue.lastEditedById,
      milestone_id: null,
      moved_to_id: null,
      project_id: issue.projectId,
      relative_position: issue.relativePosition,
      state: issue.state,
      time_estimate: 0,
      title: issue.title,
      updated_at: ts(style, issue.updatedAt),
      updated_by_id: issue.updatedById,
      url: issueWebUrl(store, issue, true),
      total_time_spent: 0,
      human_total_time_spent: null,
      human_time_estimate: null,
      assignee_ids: [...issue.assigneeIds],
    };
  }
  return {
    author_id: issue.authorId,
    closed_at: ts(style, issue.closedAt),
    confidential: issue.confidential,
    created_at: ts(style, issue.createdAt),
    description: issue.description,
    discussion_locked: issue.discussionLocked,
    due_date: issue.dueDate,
    id: issue.id,
    iid: issue.iid,
    last_edited_at: ts(style, issue.lastEditedAt),
    last_edited_by_id: issue.lastEditedById,
    milestone_id: null,
    moved_to_id: null,
    duplicated_to_id: null,
    project_id: issue.projectId,
    relative_position: issue.relativePosition,
    state_id: issue.state === "opened" ? 1 : 2,
    time_estimate: 0,
    title: issue.title,
    updated_at: ts(style, issue.updatedAt),
    updated_by_id: issue.updatedById,
    weight: null,
    health_status: null,
    type: ISSUE_TYPE_NAME[issue.issueType],
    url: issueWebUrl(store, issue),
    total_time_spent: 0,
    time_change: 0,
    human_total_time_spent: null,
    human_time_change: null,
    human_time_estimate: null,
    assignee_ids: [...issue.assigneeIds],
    assignee_id: issue.assigneeIds[0] ?? null,
    labels,
    state: issue.state,
    severity: "unknown",
    customer_relations_contacts: [],
    status: workItemStatus(issue),
  };
}

function lastCommit(store: SimStore, mr: MergeRequest, project: Project, style: PayloadStyle): Json {
  const author = store.users.get(mr.authorId);
  const title = mr.title.replace(/^Draft:\s*/i, "");
  return {
    id: mr.sha,
    message: `${title}\n`,
    title,
    timestamp: mr.createdAt.replace(/\.\d+Z$/, "+00:00"),
    url: `${store.projectWebUrl(project)}${style === "legacy" ? "" : "/-"}/commit/${mr.sha}`,
    author: { name: author?.name ?? "Ghost User", email: style === "legacy" ? (author?.email ?? "") : "[REDACTED]" },
  };
}

export function mergeRequestHookAttrs(store: SimStore, mr: MergeRequest, style: PayloadStyle): Json {
  const project = store.requireProject(mr.projectId);
  const draft = isDraftTitle(mr.title);
  const mergeStatus = mr.state === "opened" || mr.state === "merged" ? "can_be_merged" : "unchecked";
  const common = {
    assignee_id: mr.assigneeIds[0] ?? null,
    author_id: mr.authorId,
    created_at: ts(style, mr.createdAt),
  };
  if (style === "legacy") {
    return {
      ...common,
      deleted_at: null,
      description: mr.description,
      head_pipeline_id: null,
      id: mr.id,
      iid: mr.iid,
      last_edited_at: ts(style, mr.lastEditedAt),
      last_edited_by_id: mr.lastEditedById,
      merge_commit_sha: mr.mergeCommitSha,
      merge_error: null,
      merge_params: { force_remove_source_branch: "1" },
      merge_status: mergeStatus,
      merge_user_id: mr.mergeUserId,
      merge_when_pipeline_succeeds: false,
      milestone_id: null,
      source_branch: mr.sourceBranch,
      source_project_id: mr.projectId,
      state: mr.state,
      target_branch: mr.targetBranch,
      target_project_id: mr.projectId,
      time_estimate: 0,
      title: mr.title,
      updated_at: ts(style, mr.updatedAt),
      updated_by_id: mr.updatedById,
      url: mergeRequestWebUrl(store, mr, true),
      source: hookProject(store, project, style),
      target: hookProject(store, project, style),
      last_commit: lastCommit(store, mr, project, style),
      work_in_progress: draft,
      total_time_spent: 0,
      human_total_time_spent: null,
      human_time_estimate: null,
    };
  }
  return {
    ...common,
    description: mr.description,
    draft,
    head_pipeline_id: null,
    id: mr.id,
    iid: mr.iid,
    last_edited_at: ts(style, mr.lastEditedAt),
    last_edited_by_id: mr.lastEditedById,
    merge_commit_sha: mr.mergeCommitSha,
    merge_error: null,
    merge_params: { force_remove_source_branch: "1" },
    merge_status: mergeStatus,
    merge_user_id: mr.mergeUserId,
    merge_when_pipeline_succeeds: false,
    milestone_id: null,
    source_branch: mr.sourceBranch,
    source_project_id: mr.projectId,
    state_id: MR_STATE_ID[mr.state],
    target_branch: mr.targetBranch,
    target_project_id: mr.projectId,
    time_estimate: 0,
    title: mr.title,
    updated_at: ts(style, mr.updatedAt),
    updated_by_id: mr.updatedById,
    prepared_at: ts(style, mr.preparedAt),
    url: mergeRequestWebUrl(store, mr),
    source: hookProject(store, project, style),
    target: hookProject(store, project, style),
    last_commit: lastCommit(store, mr, project, style),
    work_in_progress: draft,
    total_time_spent: 0,
    time_change: 0,
    human_total_time_spent: null,
    human_time_change: null,
    human_time_estimate: null,
    assignee_ids: [...mr.assigneeIds],
    reviewer_ids: [...mr.reviewerIds],
    labels: store.labelsByIds(mr.labelIds).map((l) => hookLabel(l, style)),
    state: mr.state,
    blocking_discussions_resolved: true,
    first_contribution: false,
    detailed_merge_status: detailedMergeStatus(mr),
  };
}

const ISSUE_STATE_NAME: Record<number, string> = { 1: "opened", 2: "closed" };
const MR_STATE_NAME: Record<number, string> = { 1: "opened", 2: "closed", 3: "merged", 4: "locked" };

function convertChanges(store: SimStore, changes: ChangeSet, style: PayloadStyle, kind: "issue" | "merge_request"): Json {
  const out: Json = {};
  const convert = (key: string, value: unknown): unknown => {
    if (key === "labels" && Array.isArray(value)) {
      return store.labelsByIds(value as number[]).map((l) => hookLabel(l, style));
    }
    if ((key === "assignees" || key === "reviewers") && Array.isArray(value)) {
      return (value as number[]).map((id) => hookUser(store.users.get(id), style));
    }
    if (key === "type" && typeof value === "string") {
      return ISSUE_TYPE_NAME[value as keyof typeof ISSUE_TYPE_NAME] ?? value;
    }
    if (key.endsWith("_at") && typeof value === "string") return ts(style, value);
    return value;
  };
  for (const [key, change] of Object.entries(changes)) {
    if (style === "legacy" && key === "state_id") {
      const names = kind === "issue" ? ISSUE_STATE_NAME : MR_STATE_NAME;
      out.state = { previous: names[change.previous as number] ?? null, current: names[change.current as number] ?? null };
      continue;
    }
    if (style === "legacy" && (key === "draft" || key === "type")) continue;
    out[key] = { previous: convert(key, change.previous), current: convert(key, change.current) };
  }
  return out;
}

function noteHookAttrs(note: Note, style: PayloadStyle, action: "create" | "update", url: string): Json {
  if (style === "legacy") {
    // Keys of a GitLab ~10.x note hook (tests/fixtures/gitlab-webhooks/note_issue.json without `action`).
    return {
      id: note.id,
      note: note.body,
      noteable_type: note.noteableType,
      author_id: note.authorId,
      created_at: ts(style, note.createdAt),
      updated_at: ts(style, note.updatedAt),
      project_id: note.projectId,
      attachment: null,
      line_code: null,
      commit_id: "",
      noteable_id: note.noteableId,
      system: note.system,
      st_diff: null,
      url,
    };
  }
  return {
    attachment: null,
    author_id: note.authorId,
    change_position: null,
    commit_id: null,
    created_at: ts(style, note.createdAt),
    discussion_id: note.discussionId,
    id: note.id,
    internal: note.internal,
    line_code: null,
    note: note.body,
    noteable_id: note.noteableId,
    noteable_type: note.noteableType,
    original_position: null,
    position: null,
    project_id: note.projectId,
    resolved_at: null,
    resolved_by_id: null,
    resolved_by_push: null,
    st_diff: null,
    system: note.system,
    type: null,
    updated_at: ts(style, note.updatedAt),
    updated_by_id: note.updatedById,
    description: note.body,
    url,
    action,
  };
}

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
    const assignees = issue.assigneeIds.map((id) => store.users.get(id)).filter((u): u is User => u !== undefined);
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
    const assignees = mr.assigneeIds.map((id) => store.users.get(id)).filter((u): u is User => u !== undefined);
    const reviewers = mr.reviewerIds.map((id) => store.users.get(id)).filter((u): u is User => u !== undefined);
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
  const noteableUrl = issue ? issueWebUrl(store, issue, !modern) : mr ? mergeRequestWebUrl(store, mr, !modern) : store.projectWebUrl(project);
  const confidential = note.internal || (issue?.confidential ?? false);
  const attrs = noteHookAttrs(note, style, event.action, `${noteableUrl}#note_${note.id}`);
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
    action: modern ? event.action : null,
    payload,
    accepts: (h) => (confidential ? h.confidentialNoteEvents : h.noteEvents),
  };
}
