// `object_attributes` of Issue Hook (and work item) bodies, modern and legacy.
import { issueWebUrl } from "../entities/issues";
import type { SimStore } from "../store";
import type { Issue, PayloadStyle } from "../types";
import { hookLabel, type Json, ts } from "./common";

export const ISSUE_TYPE_NAME = { issue: "Issue", task: "Task", incident: "Incident" } as const;

function workItemStatus(issue: Issue): Json {
  return issue.state === "opened"
    ? {
        id: "gid://gitlab/WorkItems::Statuses::SystemDefined::Status/1",
        name: "To do",
        category: "to_do",
        description: null,
        color: "#737278",
      }
    : {
        id: "gid://gitlab/WorkItems::Statuses::SystemDefined::Status/3",
        name: "Done",
        category: "done",
        description: null,
        color: "#108548",
      };
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
