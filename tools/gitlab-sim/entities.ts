// REST API v4 representations (GitLab's Grape entities), built from the internal records.
import type { SimStore } from "./store";
import type { Hook, Issue, Label, Membership, MergeRequest, Namespace, Note, Project, Token, User } from "./types";
import { gravatar, isDraftTitle, textColorFor } from "./util";

export function issueWebUrl(store: SimStore, issue: Issue, legacy = false): string {
  const project = store.projects.get(issue.projectId);
  const base = project ? store.projectWebUrl(project) : store.instanceUrl;
  if (legacy) return `${base}/issues/${issue.iid}`;
  if (issue.issueType === "task") return `${base}/-/work_items/${issue.iid}`;
  if (issue.issueType === "incident") return `${base}/-/issues/incident/${issue.iid}`;
  return `${base}/-/issues/${issue.iid}`;
}

export function mergeRequestWebUrl(store: SimStore, mr: MergeRequest, legacy = false): string {
  const project = store.projects.get(mr.projectId);
  const base = project ? store.projectWebUrl(project) : store.instanceUrl;
  return legacy ? `${base}/merge_requests/${mr.iid}` : `${base}/-/merge_requests/${mr.iid}`;
}

export function userBasic(store: SimStore, user: User) {
  return {
    id: user.id,
    username: user.username,
    public_email: user.publicEmail ?? "",
    name: user.name,
    state: user.state,
    locked: false,
    avatar_url: gravatar(user.email),
    web_url: `${store.instanceUrl}/${user.username}`,
  };
}

function userBasicById(store: SimStore, id: number | null) {
  if (id === null) return null;
  const u = store.users.get(id);
  return u ? userBasic(store, u) : null;
}

/** `GET /user`: the authenticated user's own representation (includes `bot` and `email`). */
export function currentUser(store: SimStore, user: User) {
  return {
    ...userBasic(store, user),
    created_at: user.createdAt,
    bio: "",
    location: "",
    linkedin: "",
    twitter: "",
    discord: "",
    website_url: "",
    github: "",
    job_title: "",
    pronouns: null,
    organization: "",
    bot: user.bot,
    work_information: null,
    local_time: null,
    last_sign_in_at: user.bot ? null : user.createdAt,
    confirmed_at: user.createdAt,
    last_activity_on: user.createdAt.slice(0, 10),
    email: user.email,
    theme_id: 3,
    color_scheme_id: 1,
    projects_limit: user.bot ? 0 : 100000,
    current_sign_in_at: null,
    identities: [],
    can_create_group: !user.bot,
    can_create_project: !user.bot,
    two_factor_enabled: false,
    external: false,
    private_profile: false,
    commit_email: user.email,
    preferred_language: "en",
    ...(user.isAdmin ? { is_admin: true } : {}),
  };
}

export function tokenSelf(store: SimStore, token: Token) {
  const expired = store.tokenExpired(token);
  return {
    id: token.id,
    name: token.name,
    revoked: token.revoked,
    created_at: token.createdAt,
    description: token.description,
    scopes: token.scopes,
    user_id: token.userId,
    last_used_at: token.lastUsedAt,
    active: !token.revoked && !expired,
    expires_at: token.expiresAt,
  };
}

function namespaceEntity(store: SimStore, ns: Namespace) {
  return {
    id: ns.id,
    name: ns.name,
    path: ns.path,
    kind: ns.kind,
    full_path: ns.fullPath,
    parent_id: ns.parentId,
    avatar_url: null,
    web_url: ns.kind === "group" ? `${store.instanceUrl}/groups/${ns.fullPath}` : `${store.instanceUrl}/${ns.fullPath}`,
  };
}

export function projectSimple(store: SimStore, p: Project) {
  const fullPath = store.projectFullPath(p);
  const webUrl = store.projectWebUrl(p);
  return {
    id: p.id,
    description: p.description,
    name: p.name,
    name_with_namespace: store.projectNameWithNamespace(p),
    path: p.path,
    path_with_namespace: fullPath,
    created_at: p.createdAt,
    default_branch: p.defaultBranch,
    tag_list: p.topics,
    topics: p.topics,
    ssh_url_to_repo: `git@${store.host}:${fullPath}.git`,
    http_url_to_repo: `${webUrl}.git`,
    web_url: webUrl,
    readme_url: `${webUrl}/-/blob/${p.defaultBranch}/README.md`,
    forks_count: 0,
    avatar_url: null,
    star_count: p.starCount,
    last_activity_at: p.lastActivityAt,
    visibility: p.visibility,
    namespace: namespaceEntity(store, store.projectNamespace(p)),
  };
}

export function projectFull(store: SimStore, p: Project, viewer: User | null) {
  const api = `${store.instanceUrl}/api/v4/projects/${p.id}`;
  const ns = store.projectNamespace(p);
  const direct = viewer ? store.directProjectAccess(viewer.id, p) : 0;
  const group = viewer && ns.kind === "group" ? store.groupAccess(viewer.id, ns.id) : 0;
  const openIssues = [...store.issues.values()].filter((i) => i.projectId === p.id && i.state === "opened").length;
  const owner = ns.kind === "user" ? store.userByUsername(ns.path) : undefined;
  return {
    ...projectSimple(store, p),
    container_registry_image_prefix: `registry.${store.host}/${store.projectFullPath(p).toLowerCase()}`,
    _links: {
      self: api,
      issues: `${api}/issues`,
      merge_requests: `${api}/merge_requests`,
      repo_branches: `${api}/repository/branches`,
      labels: `${api}/labels`,
      events: `${api}/events`,
      members: `${api}/members`,
      cluster_agents: `${api}/cluster_agents`,
    },
    packages_enabled: true,
    empty_repo: false,
    archived: p.archived,
    ...(owner ? { owner: userBasic(store, owner) } : {}),
    resolve_outdated_diff_discussions: false,
    container_registry_enabled: true,
    issues_enabled: p.issuesEnabled,
    merge_requests_enabled: p.mergeRequestsEnabled,
    wiki_enabled: true,
    jobs_enabled: true,
    snippets_enabled: true,
    issues_access_level: p.issuesEnabled ? "enabled" : "disabled",
    merge_requests_access_level: p.mergeRequestsEnabled ? "enabled" : "disabled",
    repository_access_level: "enabled",
    creator_id: p.creatorId,
    ...(p.issuesEnabled ? { open_issues_count: openIssues } : {}),
    description_html: p.description ? `<p>${p.description}</p>` : "",
    updated_at: p.lastActivityAt,
    shared_with_groups: [],
    only_allow_merge_if_pipeline_succeeds: false,
    request_access_enabled: true,
    permissions: {
      project_access: direct ? { access_level: direct, notification_level: 3 } : null,
      group_access: group ? { access_level: group, notification_level: 3 } : null,
    },
  };
}

export function labelEntity(store: SimStore, label: Label, opts: { withCounts?: boolean } = {}) {
  const base = {
    id: label.id,
    name: label.title,
    description: label.description,
    description_html: label.description ?? "",
    text_color: textColorFor(label.color),
    color: label.color,
    subscribed: false,
    priority: label.priority,
    is_project_label: true,
    archived: false,
  };
  if (!opts.withCounts) return base;
  const issues = [...store.issues.values()].filter((i) => i.labelIds.includes(label.id));
  const mrs = [...store.mergeRequests.values()].filter((m) => m.labelIds.includes(label.id));
  return {
    ...base,
    open_issues_count: issues.filter((i) => i.state === "opened").length,
    closed_issues_count: issues.filter((i) => i.state === "closed").length,
    open_merge_requests_count: mrs.filter((m) => m.state === "opened").length,
  };
}

function labelsField(store: SimStore, ids: number[], withDetails: boolean) {
  const labels = store.labelsByIds(ids).sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : 0));
  if (!withDetails) return labels.map((l) => l.title);
  return labels.map((l) => ({
    id: l.id,
    name: l.title,
    color: l.color,
    description: l.description,
    description_html: l.description ?? "",
    text_color: textColorFor(l.color),
  }));
}

function references(store: SimStore, projectId: number, sigil: "#" | "!", iid: number) {
  const p = store.projects.get(projectId);
  const full = p ? store.projectFullPath(p) : "";
  return { short: `${sigil}${iid}`, relative: `${sigil}${iid}`, full: `${full}${sigil}${iid}` };
}

const timeStats = {
  time_estimate: 0,
  total_time_spent: 0,
  human_time_estimate: null,
  human_total_time_spent: null,
};

export function issueEntity(
  store: SimStore,
  issue: Issue,
  opts: { withLabelsDetails?: boolean; single?: boolean } = {},
) {
  const api = `${store.instanceUrl}/api/v4/projects/${issue.projectId}`;
  const assignees = issue.assigneeIds.map((id) => userBasicById(store, id)).filter((u) => u !== null);
  return {
    id: issue.id,
    iid: issue.iid,
    project_id: issue.projectId,
    title: issue.title,
    description: issue.description,
    state: issue.state,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    closed_by: userBasicById(store, issue.closedById),
    labels: labelsField(store, issue.labelIds, opts.withLabelsDetails ?? false),
    milestone: null,
    assignees,
    author: userBasicById(store, issue.authorId),
    type: issue.issueType.toUpperCase(),
    assignee: assignees[0] ?? null,
    user_notes_count: store.userNotesCount("Issue", issue.id),
    merge_requests_count: 0,
    upvotes: 0,
    downvotes: 0,
    due_date: issue.dueDate,
    confidential: issue.confidential,
    discussion_locked: issue.discussionLocked,
    issue_type: issue.issueType,
    web_url: issueWebUrl(store, issue),
    time_stats: timeStats,
    task_completion_status: { count: 0, completed_count: 0 },
    blocking_issues_count: 0,
    has_tasks: false,
    _links: {
      self: `${api}/issues/${issue.iid}`,
      notes: `${api}/issues/${issue.iid}/notes`,
      award_emoji: `${api}/issues/${issue.iid}/award_emoji`,
      project: api,
      closed_as_duplicate_of: null,
    },
    references: references(store, issue.projectId, "#", issue.iid),
    severity: "UNKNOWN",
    moved_to_id: null,
    imported: false,
    imported_from: "none",
    service_desk_reply_to: null,
    ...(opts.single ? { subscribed: false } : {}),
  };
}

export function detailedMergeStatus(mr: MergeRequest): string {
  if (mr.state !== "opened") return "not_open";
  if (isDraftTitle(mr.title)) return "draft_status";
  return "mergeable";
}

export function mergeRequestEntity(
  store: SimStore,
  mr: MergeRequest,
  opts: { withLabelsDetails?: boolean; single?: boolean } = {},
) {
  const draft = isDraftTitle(mr.title);
  const assignees = mr.assigneeIds.map((id) => userBasicById(store, id)).filter((u) => u !== null);
  const reviewers = mr.reviewerIds.map((id) => userBasicById(store, id)).filter((u) => u !== null);
  const mergeUser = userBasicById(store, mr.mergeUserId);
  return {
    id: mr.id,
    iid: mr.iid,
    project_id: mr.projectId,
    title: mr.title,
    description: mr.description,
    state: mr.state,
    created_at: mr.createdAt,
    updated_at: mr.updatedAt,
    merged_by: mergeUser,
    merge_user: mergeUser,
    merged_at: mr.mergedAt,
    closed_by: userBasicById(store, mr.closedById),
    closed_at: mr.closedAt,
    target_branch: mr.targetBranch,
    source_branch: mr.sourceBranch,
    user_notes_count: store.userNotesCount("MergeRequest", mr.id),
    upvotes: 0,
    downvotes: 0,
    author: userBasicById(store, mr.authorId),
    assignees,
    assignee: assignees[0] ?? null,
    reviewers,
    source_project_id: mr.projectId,
    target_project_id: mr.projectId,
    labels: labelsField(store, mr.labelIds, opts.withLabelsDetails ?? false),
    draft,
    imported: false,
    imported_from: "none",
    work_in_progress: draft,
    milestone: null,
    merge_when_pipeline_succeeds: false,
    merge_status: mr.state === "opened" ? "can_be_merged" : mr.state === "merged" ? "can_be_merged" : "unchecked",
    detailed_merge_status: detailedMergeStatus(mr),
    merge_after: null,
    sha: mr.sha,
    merge_commit_sha: mr.mergeCommitSha,
    squash_commit_sha: null,
    discussion_locked: mr.discussionLocked,
    should_remove_source_branch: null,
    force_remove_source_branch: true,
    prepared_at: mr.preparedAt,
    reference: `!${mr.iid}`,
    references: references(store, mr.projectId, "!", mr.iid),
    web_url: mergeRequestWebUrl(store, mr),
    time_stats: timeStats,
    squash: false,
    squash_on_merge: false,
    task_completion_status: { count: 0, completed_count: 0 },
    has_conflicts: false,
    blocking_discussions_resolved: true,
    approvals_before_merge: null,
    ...(opts.single
      ? {
          subscribed: false,
          changes_count: "1",
          latest_build_started_at: null,
          latest_build_finished_at: null,
          first_deployed_to_production_at: null,
          pipeline: null,
          head_pipeline: null,
          diff_refs: { base_sha: mr.sha, head_sha: mr.sha, start_sha: mr.sha },
          merge_error: null,
          first_contribution: false,
          user: { can_merge: true },
        }
      : {}),
  };
}

export function noteEntity(store: SimStore, note: Note) {
  const noteable =
    note.noteableType === "Issue" ? store.issues.get(note.noteableId) : store.mergeRequests.get(note.noteableId);
  return {
    id: note.id,
    type: null,
    body: note.body,
    author: userBasicById(store, note.authorId),
    created_at: note.createdAt,
    updated_at: note.updatedAt,
    system: note.system,
    noteable_id: note.noteableId,
    noteable_type: note.noteableType,
    project_id: note.projectId,
    resolvable: false,
    confidential: note.internal,
    internal: note.internal,
    imported: false,
    imported_from: "none",
    noteable_iid: noteable?.iid ?? null,
    commands_changes: {},
  };
}

export function memberEntity(store: SimStore, user: User, m: Pick<Membership, "accessLevel" | "createdAt" | "expiresAt" | "createdById">) {
  return {
    ...userBasic(store, user),
    access_level: m.accessLevel,
    created_at: m.createdAt,
    created_by: userBasicById(store, m.createdById),
    expires_at: m.expiresAt,
    membership_state: "active",
  };
}

export function hookEntity(hook: Hook) {
  return {
    id: hook.id,
    url: hook.url,
    name: hook.name,
    description: hook.description,
    created_at: hook.createdAt,
    push_events: hook.pushEvents,
    tag_push_events: hook.tagPushEvents,
    merge_requests_events: hook.mergeRequestsEvents,
    repository_update_events: false,
    enable_ssl_verification: hook.enableSslVerification,
    alert_status: "executable",
    disabled_until: null,
    url_variables: [],
    push_events_branch_filter: hook.pushEventsBranchFilter,
    branch_filter_strategy: "wildcard",
    custom_webhook_template: "",
    custom_headers: [],
    project_id: hook.projectId,
    issues_events: hook.issuesEvents,
    confidential_issues_events: hook.confidentialIssuesEvents,
    note_events: hook.noteEvents,
    confidential_note_events: hook.confidentialNoteEvents,
    pipeline_events: hook.pipelineEvents,
    wiki_page_events: hook.wikiPageEvents,
    deployment_events: false,
    feature_flag_events: false,
    job_events: hook.jobEvents,
    releases_events: hook.releasesEvents,
    milestone_events: false,
    emoji_events: hook.emojiEvents,
    resource_access_token_events: hook.resourceAccessTokenEvents,
    vulnerability_events: false,
  };
}
