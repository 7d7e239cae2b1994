// REST API v4 representation of project webhooks (the token is never returned).
import type { Hook } from "../types";

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
