// `object_attributes` of Merge Request Hook bodies, modern (`draft`, `state_id`) and legacy
// (`work_in_progress` only).
import { MR_STATE_ID } from "../domain/merge-requests";
import { detailedMergeStatus, mergeRequestWebUrl } from "../entities/merge-requests";
import type { SimStore } from "../store";
import type { MergeRequest, PayloadStyle, Project } from "../types";
import { isDraftTitle } from "../util";
import { hookLabel, hookProject, type Json, ts } from "./common";

function lastCommit(store: SimStore, mr: MergeRequest, project: Project, style: PayloadStyle): Json {
  const author = store.users.get(mr.authorId);
  const title = mr.title.replace(/^Draft:\s*/i, "");
  return {
    id: mr.sha,
    message: `${title}\n`,
    title,
    timestamp: mr.createdAt.replace(/\.\d+Z$/, "+00:00"),
    url: `${store.projectWebUrl(project)}${style === "legacy" ? "" : "/-"}/commit/${mr.sha}`,
    author: {
      name: author?.name ?? "Ghost User",
      email: style === "legacy" ? (author?.email ?? "") : "[REDACTED]",
    },
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
