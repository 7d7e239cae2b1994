// REST API v4 representation of issues, their web URLs and the fields merge requests share with them.
import type { SimStore } from "../store";
import type { Issue } from "../types";
import { labelsField } from "./labels";
import { userBasicById } from "./users";

export function issueWebUrl(store: SimStore, issue: Issue, legacy = false): string {
  const project = store.projects.get(issue.projectId);
  const base = project ? store.projectWebUrl(project) : store.instanceUrl;
  if (legacy) return `${base}/issues/${issue.iid}`;
  if (issue.issueType === "task") return `${base}/-/work_items/${issue.iid}`;
  if (issue.issueType === "incident") return `${base}/-/issues/incident/${issue.iid}`;
  return `${base}/-/issues/${issue.iid}`;
}

export function references(store: SimStore, projectId: number, sigil: "#" | "!", iid: number) {
  const p = store.projects.get(projectId);
  const full = p ? store.projectFullPath(p) : "";
  return { short: `${sigil}${iid}`, relative: `${sigil}${iid}`, full: `${full}${sigil}${iid}` };
}

export const timeStats = {
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
