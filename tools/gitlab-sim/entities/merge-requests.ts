// REST API v4 representation of merge requests and their web URLs.
import type { SimStore } from "../store";
import type { MergeRequest } from "../types";
import { isDraftTitle } from "../util";
import { references, timeStats } from "./issues";
import { labelsField } from "./labels";
import { userBasicById } from "./users";

export function mergeRequestWebUrl(store: SimStore, mr: MergeRequest, legacy = false): string {
  const project = store.projects.get(mr.projectId);
  const base = project ? store.projectWebUrl(project) : store.instanceUrl;
  return legacy ? `${base}/merge_requests/${mr.iid}` : `${base}/-/merge_requests/${mr.iid}`;
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
    merge_status:
      mr.state === "opened" ? "can_be_merged" : mr.state === "merged" ? "can_be_merged" : "unchecked",
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
