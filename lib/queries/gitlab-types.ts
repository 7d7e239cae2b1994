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
