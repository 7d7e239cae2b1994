// Request bodies of the control API (zod), and the parse step that turns a bad body into a 400.
import { z } from "zod";
import { ApiError, type Params } from "./http";

const visibility = z.enum(["private", "internal", "public"]);
const deliverOpts = {
  deliver: z.enum(["sync", "async"]).optional(),
  payloadStyle: z.enum(["modern", "legacy"]).optional(),
  userId: z.number().int().optional(),
};
const stringList = z.array(z.string());

export const schemas = {
  user: z.object({
    username: z.string(),
    name: z.string().optional(),
    bot: z.boolean().optional(),
    email: z.string().optional(),
    admin: z.boolean().optional(),
  }),
  group: z.object({ path: z.string(), name: z.string().optional(), visibility: visibility.optional() }),
  project: z.object({
    path_with_namespace: z.string(),
    name: z.string().optional(),
    description: z.string().nullable().optional(),
    visibility: visibility.optional(),
    issues_enabled: z.boolean().optional(),
    merge_requests_enabled: z.boolean().optional(),
    archived: z.boolean().optional(),
    default_branch: z.string().optional(),
    topics: stringList.optional(),
  }),
  member: z
    .object({
      user_id: z.number().int().optional(),
      username: z.string().optional(),
      access_level: z.number().int(),
    })
    .refine((m) => m.user_id !== undefined || m.username !== undefined, {
      message: "user_id or username is required",
    }),
  memberRole: z.object({ access_level: z.number().int() }),
  token: z.object({
    value: z.string().optional(),
    name: z.string(),
    description: z.string().nullable().optional(),
    scopes: stringList,
    expires_at: z.string().nullable().optional(),
    userId: z.number().int().optional(),
    revoked: z.boolean().optional(),
    projects: z
      .array(z.object({ id: z.union([z.number().int(), z.string()]), access_level: z.number().int() }))
      .optional(),
    groups: z
      .array(z.object({ id: z.union([z.number().int(), z.string()]), access_level: z.number().int() }))
      .optional(),
  }),
  label: z.object({
    name: z.string(),
    color: z.string().optional(),
    description: z.string().nullable().optional(),
  }),
  issue: z.object({
    title: z.string(),
    description: z.string().nullable().optional(),
    labels: stringList.optional(),
    assignee_ids: z.array(z.number().int()).optional(),
    state: z.enum(["opened", "closed"]).optional(),
    confidential: z.boolean().optional(),
    issue_type: z.enum(["issue", "task", "incident"]).optional(),
    author_id: z.number().int().optional(),
  }),
  mergeRequest: z.object({
    title: z.string(),
    description: z.string().nullable().optional(),
    draft: z.boolean().optional(),
    state: z.enum(["opened", "closed", "merged", "locked"]).optional(),
    source_branch: z.string().optional(),
    target_branch: z.string().optional(),
    labels: stringList.optional(),
    assignee_ids: z.array(z.number().int()).optional(),
    reviewer_ids: z.array(z.number().int()).optional(),
    author_id: z.number().int().optional(),
  }),
  issueAction: z.object({
    action: z.enum(["open", "close", "reopen", "update"]),
    changes: z
      .object({
        title: z.string().optional(),
        description: z.string().nullable().optional(),
        labels: stringList.optional(),
        add_labels: stringList.optional(),
        remove_labels: stringList.optional(),
        assignee_ids: z.array(z.number().int()).optional(),
        confidential: z.boolean().optional(),
        issue_type: z.enum(["issue", "task", "incident"]).optional(),
      })
      .optional(),
    ...deliverOpts,
  }),
  mergeRequestAction: z.object({
    action: z.enum([
      "open",
      "close",
      "reopen",
      "merge",
      "update",
      "approved",
      "approval",
      "unapproved",
      "unapproval",
    ]),
    changes: z
      .object({
        title: z.string().optional(),
        description: z.string().nullable().optional(),
        labels: stringList.optional(),
        add_labels: stringList.optional(),
        remove_labels: stringList.optional(),
        assignee_ids: z.array(z.number().int()).optional(),
        reviewer_ids: z.array(z.number().int()).optional(),
        draft: z.boolean().optional(),
        target_branch: z.string().optional(),
      })
      .optional(),
    ...deliverOpts,
  }),
  draft: z.object({ draft: z.boolean(), ...deliverOpts }),
  revert: z.object({
    mode: z.enum(["merge_request", "direct"]).optional(),
    merge: z.boolean().optional(),
    ...deliverOpts,
  }),
  labels: z.object({ labels: stringList, ...deliverOpts }),
  note: z.object({
    body: z.string(),
    author_id: z.number().int().optional(),
    author: z.string().optional(),
    internal: z.boolean().optional(),
    thread: z.boolean().optional(),
    discussion_id: z.string().optional(),
    ...deliverOpts,
  }),
  noteEdit: z.object({
    body: z.string(),
    author_id: z.number().int().optional(),
    author: z.string().optional(),
    ...deliverOpts,
  }),
  hook: z.object({
    url: z.string(),
    token: z.string().optional(),
    name: z.string().optional(),
    issues_events: z.boolean().optional(),
    confidential_issues_events: z.boolean().optional(),
    merge_requests_events: z.boolean().optional(),
    note_events: z.boolean().optional(),
    confidential_note_events: z.boolean().optional(),
    push_events: z.boolean().optional(),
    enable_ssl_verification: z.boolean().optional(),
  }),
  fault: z.object({
    status: z.number().int().optional(),
    drop: z.boolean().optional(),
    count: z.number().optional(),
    probability: z.number().min(0).max(1).optional(),
    pathPattern: z.string().optional(),
    method: z.string().optional(),
    retryAfter: z.number().int().optional(),
    body: z.enum(["rack-attack", "application"]).optional(),
  }),
  latency: z.object({ ms: z.number().min(0), pathPattern: z.string().optional() }),
  style: z.object({ style: z.enum(["modern", "legacy"]) }),
  version: z.object({ version: z.string() }),
  timeout: z.object({ ms: z.number().int().positive() }),
};

export function parse<T extends z.ZodType>(schema: T, input: Params): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ApiError(400, {
      error: result.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "),
    });
  }
  return result.data;
}
