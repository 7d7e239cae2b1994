import { z } from "zod";
import { idField, idQuery, searchQuery } from "@/lib/validations/common";

// Bodies and queries of the GitLab integration endpoints, shared by the route handlers and the
// setup wizard's forms.

export const DEFAULT_GITLAB_INSTANCE_URL = "https://gitlab.com";

const instanceUrlField = z
  .string({ error: "GitLab instance URL is required" })
  .trim()
  .min(1, "GitLab instance URL is required")
  .max(500);
const accessTokenField = z
  .string({ error: "Access token is required" })
  .trim()
  .min(1, "Access token is required")
  .max(500, "That is longer than any GitLab token")
  .regex(/^\S+$/, "An access token has no spaces");
// GitLab strips line breaks from the secret it sends, so a secret with one would never match.
const webhookSecretField = z
  .string()
  .trim()
  .max(255, "Webhook secret must be at most 255 characters")
  .regex(/^[^\r\n]*$/, "Webhook secret must be one line");
// A secret someone chooses must resist guessing as well as the generated ones (32 characters).
const MIN_WEBHOOK_SECRET_LENGTH = 16;
const webhookSecretTooShort = `Webhook secret must be at least ${MIN_WEBHOOK_SECRET_LENGTH} characters`;
const gitlabProjectIdField = z
  .number({ error: "GitLab project id must be a number" })
  .int()
  .min(0)
  .max(2_147_483_647)
  // 0 unlinks, as Flagsmith's client sends it.
  .transform((id) => (id === 0 ? null : id))
  .nullable();

const commentStyles = ["STATUS_NOTE", "PER_CHANGE"] as const;

export const createGitLabIntegrationBody = z.object({
  gitlab_instance_url: instanceUrlField.default(DEFAULT_GITLAB_INSTANCE_URL),
  access_token: accessTokenField,
  webhook_secret: webhookSecretField
    .refine(
      (value) => value === "" || value.length >= MIN_WEBHOOK_SECRET_LENGTH,
      `${webhookSecretTooShort} (leave it empty to have one generated)`,
    )
    .optional()
    .transform((value) => value || undefined),
  gitlab_project_id: gitlabProjectIdField.optional(),
  // Accepted for compatibility and ignored: the path is read from GitLab.
  project_name: z.string().max(500).nullable().optional(),
  tagging_enabled: z.boolean().optional(),
});

export const updateGitLabIntegrationBody = z.object({
  gitlab_instance_url: instanceUrlField.optional(),
  access_token: accessTokenField.optional(),
  webhook_secret: webhookSecretField.min(MIN_WEBHOOK_SECRET_LENGTH, webhookSecretTooShort).optional(),
  gitlab_project_id: gitlabProjectIdField.optional(),
  project_name: z.string().max(500).nullable().optional(),
  tagging_enabled: z.boolean().optional(),
  comment_style: z.enum(commentStyles).optional(),
  // Opt-in (off by default): issue/MR events fire release rules; `@bot` comments change flags.
  release_rules_enabled: z.boolean().optional(),
  commands_enabled: z.boolean().optional(),
  commands_ignore_internal: z.boolean().optional(),
  commands_on_confidential: z.boolean().optional(),
  // Minimum GitLab role for commands per environment (api_key → role); unlisted: the default.
  command_roles: z
    .record(z.string().min(1).max(100), z.enum(["developer", "maintainer", "owner"]))
    .refine((roles) => Object.keys(roles).length <= 100, "At most 100 environments")
    .optional(),
});

export type CreateGitLabIntegrationInput = z.infer<typeof createGitLabIntegrationBody>;
export type UpdateGitLabIntegrationInput = z.infer<typeof updateGitLabIntegrationBody>;

// Query-string filters of the browse endpoints (paging is added by the route handlers).
export const gitlabProjectFilters = z.object({ search: searchQuery });

// `gitlab_project_path` ("group/sub/project") names a project by its path, as people type it in a
// reference (`group/project#12`): the link field searches another project's items that way.
const gitlabProjectPath = z
  .string()
  .trim()
  .max(255)
  .regex(/^[\w.-]+(?:\/[\w.-]+)+$/, 'A GitLab project path such as "group/project"')
  .optional();

const itemFilters = z.object({
  gitlab_project_id: idQuery.optional(),
  gitlab_project_path: gitlabProjectPath,
  search_text: searchQuery,
});

export const gitlabIssueFilters = itemFilters.extend({
  state: z.enum(["opened", "closed", "all"]).default("opened"),
});
export const gitlabMergeRequestFilters = itemFilters.extend({
  state: z.enum(["opened", "closed", "merged", "all"]).default("opened"),
});
export const gitlabMemberFilters = z.object({ gitlab_project_id: idQuery.optional(), search: searchQuery });

export type GitLabIssueFilters = z.infer<typeof gitlabIssueFilters>;
export type GitLabMergeRequestFilters = z.infer<typeof gitlabMergeRequestFilters>;
export type GitLabMemberFilters = z.infer<typeof gitlabMemberFilters>;

// A feature's link to a GitLab issue or merge request: `url` is a web URL or a reference (#12, !34,
// group/project#12); its project and number are resolved with GitLab.
export const linkItemBody = z.object({
  url: z
    .string({ error: "Paste an issue or merge request URL, or a reference such as #12" })
    .trim()
    .min(1, "Paste an issue or merge request URL, or a reference such as #12")
    .max(2000),
  type: z.enum(["GITLAB_ISSUE", "GITLAB_MR"], { error: 'type must be "GITLAB_ISSUE" or "GITLAB_MR"' }),
});

export type LinkItemInput = z.infer<typeof linkItemBody>;

// The Background jobs panel of an integration: `?status=` narrows the list.
const jobStatuses = ["pending", "running", "failed", "succeeded"] as const;
export const integrationJobFilters = z.object({ status: z.enum(jobStatuses).optional() });

export type IntegrationJobFilters = z.infer<typeof integrationJobFilters>;

// "Create cleanup issue": everything but the feature is optional; the title and body default to
// what the preview endpoint shows, the GitLab project to the integration's linked one.
const labelName = z
  .string()
  .trim()
  .min(1, "Label names cannot be empty")
  .max(255)
  .regex(/^[^,]+$/, "Label names cannot contain commas");
export const createCleanupIssueBody = z.object({
  feature_id: idField,
  gitlab_project_id: idField.optional(),
  title: z
    .string()
    .trim()
    .min(1, "Title cannot be empty")
    .max(255, "GitLab titles are at most 255 characters")
    .optional(),
  description: z.string().max(100_000, "Description must be at most 100,000 characters").optional(),
  assignee_ids: z
    .array(idField)
    .max(20)
    .optional()
    .transform((ids) => [...new Set(ids ?? [])]),
  labels: z
    .array(labelName)
    .max(20)
    .optional()
    .transform((labels) => [...new Set(labels ?? [])]),
  /** Create another even though one is open. */
  confirm_duplicate: z.boolean().optional(),
});
export type CreateCleanupIssueInput = z.infer<typeof createCleanupIssueBody>;

export const cleanupIssuePreviewQuery = z.object({ feature_id: idQuery });
