// Shapes of the GitLab integration answers (docs/api.md, "GitLab integration").

export type CommentStyle = "STATUS_NOTE" | "PER_CHANGE";

export interface GitLabTokenFacts {
  name: string | null;
  scopes: string[];
  /** YYYY-MM-DD, or null when the token never expires (or GitLab is too old to say). */
  expires_at: string | null;
  expires_soon: boolean;
  user: { id: number; username: string | null; bot: boolean } | null;
  status: "VALID" | "INVALID";
  status_reason: string | null;
  checked_at: string | null;
}

export interface GitLabIntegrationConfig {
  id: number;
  project: number;
  gitlab_instance_url: string;
  gitlab_project_id: number | null;
  project_name: string | null;
  tagging_enabled: boolean;
  comment_style: CommentStyle;
  webhook_url: string;
  /** Null for people who are not project admins. */
  webhook_secret: string | null;
  webhook_registered: boolean;
  can_manage_webhooks: boolean;
  gitlab_access_level: number | null;
  token: GitLabTokenFacts;
  linked_items_count: number;
  created_at: string;
  updated_at: string;
}

export type WebhookDeliveryResult = "applied" | "ignored" | "duplicate" | "rejected" | "error";

/** One row of the webhook deliveries panel. */
export interface WebhookDelivery {
  id: number;
  received_at: string;
  event: string | null;
  action: string | null;
  object_kind: string | null;
  /** "group/project#12" or "group/project!34" */
  item_ref: string | null;
  result: WebhookDeliveryResult;
  reason: string | null;
  http_status: number;
  duration_ms: number | null;
}

export interface WebhookDeliveries {
  results: WebhookDelivery[];
  rejected_last_24h: number;
  last_success_at: string | null;
}

export type IntegrationJobStatus = "PENDING" | "RUNNING" | "SUCCEEDED" | "FAILED";

/** A background job of the integration (a status comment or a label to bring in line). */
export interface IntegrationJob {
  id: number;
  kind: string;
  description: string;
  status: IntegrationJobStatus;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  feature: { id: number; name: string | null } | null;
  /** "group/project#12" or "group/project!34" */
  item: string | null;
  run_at: string;
  created_at: string;
  finished_at: string | null;
}

export interface IntegrationJobs {
  counts: { pending: number; running: number; failed: number };
  results: IntegrationJob[];
}

/** A page of a GitLab list as Flagpost relays it; `count` is null when GitLab did not count. */
export interface GitLabBrowsePage<T> {
  count: number | null;
  next: string | null;
  previous: string | null;
  next_page: number | null;
  previous_page: number | null;
  total_pages: number | null;
  results: T[];
}

export interface GitLabProjectOption {
  id: number;
  name: string;
  path_with_namespace: string;
  web_url: string;
}

export interface GitLabProjectFilters {
  search?: string;
  page?: number;
  page_size?: number;
}

export interface GitLabUserSummary {
  id: number;
  username: string;
  name: string;
  avatar_url: string | null;
}

/** An issue or merge request in a browse list (`merged`/`draft` only for merge requests). */
export interface GitLabItemOption {
  web_url: string;
  id: number;
  iid: number;
  title: string;
  state: "opened" | "closed" | "merged" | "locked";
  labels: string[];
  author: GitLabUserSummary | null;
  updated_at: string;
  merged?: boolean;
  draft?: boolean;
}

export type LinkType = "GITLAB_ISSUE" | "GITLAB_MR";

/** A feature's link to a GitLab issue or merge request (feature-external-resources). */
export interface FeatureLink {
  id: number;
  url: string;
  type: LinkType;
  feature: number;
  /** Created by "Create cleanup issue". */
  is_cleanup_issue: boolean;
  metadata: {
    title: string;
    state: "opened" | "closed" | "merged";
    draft: boolean;
    merged: boolean;
    labels: string[];
    assignees: GitLabUserSummary[];
    author: GitLabUserSummary | null;
    updated_at: string | null;
    closed_at: string | null;
    /** "#12" or "!34" */
    reference: string;
    project_path: string;
    gitlab_project_id: number;
    iid: number;
    refreshed_at: string | null;
    /** GitLab did not answer in time; this is what it said last. */
    stale: boolean;
    /** GitLab no longer shows the item (deleted, moved or hidden from the token). */
    unavailable: boolean;
  };
  created_at: string;
}

/** A member of a GitLab project (the assignee picker). */
export interface GitLabMemberOption extends GitLabUserSummary {
  access_level: number;
}

/** What "Create cleanup issue" starts from (GET …/gitlab/cleanup-issue-preview/). */
export interface CleanupIssuePreview {
  feature: number;
  title: string;
  description: string;
  gitlab_project_id: number | null;
  project_path: string | null;
  open_cleanup_issue: FeatureLink | null;
}

export interface CreateCleanupIssueInput {
  feature_id: number;
  gitlab_project_id?: number;
  title?: string;
  description?: string;
  assignee_ids?: number[];
  labels?: string[];
  confirm_duplicate?: boolean;
}

export interface CreatedCleanupIssue {
  issue: {
    id: number;
    iid: number;
    title: string;
    state: "opened" | "closed";
    web_url: string;
    reference: string;
    full_reference: string;
    gitlab_project_id: number;
    project_path: string;
    labels: string[];
    assignees: GitLabUserSummary[];
  };
  link: FeatureLink | null;
  /** GitLab has the issue; linking it failed and a background job retries. */
  link_pending: boolean;
  message: string;
}

/** A row of the stale-flag view. */
export interface StaleFlag {
  feature: { id: number; name: string; description: string; is_permanent: boolean; created_at: string };
  reason: string;
  /** When it became stale. */
  since: string;
  settled_at: string;
  linked_items: FeatureLink[];
  open_cleanup_issue: FeatureLink | null;
  ready_to_delete: boolean;
}
