import type {
  browseGitLabIssues,
  browseGitLabMergeRequests,
  browseGitLabProjectMembers,
  browseGitLabProjects,
  serializeGitLabUser,
} from "@/lib/gitlab/integration/browse";
import type { serializeCreatedCleanupIssue, previewCleanupIssue } from "@/lib/gitlab/cleanup/cleanup-issues";
import type { listIntegrationJobs } from "@/lib/gitlab/integration/integration-jobs";
import type { serializeIntegration } from "@/lib/gitlab/integration/integrations";
import type { serializeLink } from "@/lib/gitlab/links/link-metadata";
import type { DeliveriesView } from "@/lib/gitlab/webhooks/delivery-log";
import type { serializeStaleFlag } from "@/lib/gitlab/cleanup/stale-flag-list";

// Shapes of the GitLab integration answers (docs/api.md, "GitLab integration"), taken from the
// server's serialize and list functions (type-only imports).

export type { BrowsePage as GitLabBrowsePage } from "@/lib/gitlab/integration/browse";
export type { CommentStyle, ExternalResourceType as LinkType } from "@/lib/generated/prisma/enums";
export type { CreateCleanupIssueInput } from "@/lib/validations/gitlab";

type Rows<F extends (...args: never[]) => Promise<{ results: unknown[] }>> = Awaited<
  ReturnType<F>
>["results"][number];

export type GitLabIntegrationConfig = ReturnType<typeof serializeIntegration>;
export type GitLabTokenFacts = GitLabIntegrationConfig["token"];

export type WebhookDeliveries = DeliveriesView;
/** One row of the webhook deliveries panel. */
export type WebhookDelivery = WebhookDeliveries["results"][number];
export type WebhookDeliveryResult = WebhookDelivery["result"];

/** The integration's background jobs (status comments, labels to bring in line). */
export type IntegrationJobs = Awaited<ReturnType<typeof listIntegrationJobs>>;

export type GitLabProjectOption = Rows<typeof browseGitLabProjects>;
export interface GitLabProjectFilters {
  search?: string;
  page?: number;
  page_size?: number;
}
export type GitLabUserSummary = NonNullable<ReturnType<typeof serializeGitLabUser>>;
/** An issue or merge request in a browse list (`merged`/`draft` only for merge requests). */
export type GitLabItemOption = Rows<typeof browseGitLabIssues> &
  Partial<Rows<typeof browseGitLabMergeRequests>>;
/** A member of a GitLab project (the assignee picker). */
export type GitLabMemberOption = Rows<typeof browseGitLabProjectMembers>;

/** A feature's link to a GitLab issue or merge request (feature-external-resources). */
export type FeatureLink = ReturnType<typeof serializeLink>;
/** What "Create cleanup issue" starts from (GET …/gitlab/cleanup-issue-preview/). */
export type CleanupIssuePreview = Awaited<ReturnType<typeof previewCleanupIssue>>;
export type CreatedCleanupIssue = ReturnType<typeof serializeCreatedCleanupIssue>;
/** A row of the stale-flag view. */
export type StaleFlag = ReturnType<typeof serializeStaleFlag>;
