// HTTP face of SimulatorControl under `{basePath}/_sim/...` (JSON in/out, no auth), for Playwright
// and humans. `:project` is a numeric id or a URL-encoded full path.
import { z } from "zod";
import type { SimulatorControl } from "./control";
import { type ApiResponse, ApiError, type Params } from "./http";
import { Router, type RouteContext } from "./router";
import { SimError } from "./store";

const visibility = z.enum(["private", "internal", "public"]);
const deliverOpts = {
  deliver: z.enum(["sync", "async"]).optional(),
  payloadStyle: z.enum(["modern", "legacy"]).optional(),
  userId: z.number().int().optional(),
};
const stringList = z.array(z.string());

const schemas = {
  user: z.object({ username: z.string(), name: z.string().optional(), bot: z.boolean().optional(), email: z.string().optional(), admin: z.boolean().optional() }),
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
  member: z.object({ user_id: z.number().int(), access_level: z.number().int() }),
  token: z.object({
    value: z.string().optional(),
    name: z.string(),
    description: z.string().nullable().optional(),
    scopes: stringList,
    expires_at: z.string().nullable().optional(),
    userId: z.number().int().optional(),
    revoked: z.boolean().optional(),
    projects: z.array(z.object({ id: z.union([z.number().int(), z.string()]), access_level: z.number().int() })).optional(),
    groups: z.array(z.object({ id: z.union([z.number().int(), z.string()]), access_level: z.number().int() })).optional(),
  }),
  label: z.object({ name: z.string(), color: z.string().optional(), description: z.string().nullable().optional() }),
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
    action: z.enum(["open", "close", "reopen", "merge", "update", "approved", "approval", "unapproved", "unapproval"]),
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
  labels: z.object({ labels: stringList, ...deliverOpts }),
  note: z.object({ body: z.string(), author_id: z.number().int().optional(), internal: z.boolean().optional(), ...deliverOpts }),
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
    status: z.number().int(),
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

function parse<T extends z.ZodType>(schema: T, input: Params): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ApiError(400, { error: result.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ") });
  }
  return result.data;
}

const ok = (body: unknown = { ok: true }, status = 200): ApiResponse => ({ status, body });
const iid = (ctx: RouteContext) => Number.parseInt(ctx.params.iid ?? "", 10);
const project = (ctx: RouteContext): number | string => {
  const ref = ctx.params.project ?? "";
  return /^\d+$/.test(ref) ? Number(ref) : ref;
};
function opts(body: { deliver?: "sync" | "async"; payloadStyle?: "modern" | "legacy"; userId?: number }) {
  return { deliver: body.deliver, payloadStyle: body.payloadStyle, userId: body.userId };
}

export function buildControlRouter(sim: SimulatorControl): Router {
  const r = new Router();
  const kinds = [
    ["issues", "issue"],
    ["merge_requests", "merge_request"],
  ] as const;
  r.add(
    { method: "GET", path: "/", handler: () => ok({ routes: CONTROL_ROUTES }) },
    { method: "GET", path: "/health", handler: (c) => ok({ status: "ok", instance_url: c.store.instanceUrl, version: c.store.version }) },
    { method: "POST", path: "/reset", handler: () => (sim.reset(), ok()) },
    { method: "POST", path: "/seed", handler: () => ok(sim.seedDemo()) },
    { method: "POST", path: "/settle", handler: async () => (await sim.settle(), ok()) },
    { method: "PUT", path: "/version", handler: (c) => (sim.setVersion(parse(schemas.version, c.input).version), ok()) },
    { method: "PUT", path: "/payload-style", handler: (c) => (sim.setPayloadStyle(parse(schemas.style, c.input).style), ok()) },
    { method: "PUT", path: "/webhook-timeout", handler: (c) => (sim.setWebhookTimeout(parse(schemas.timeout, c.input).ms), ok()) },
    { method: "POST", path: "/users", handler: (c) => ok({ id: sim.createUser(parse(schemas.user, c.input)) }, 201) },
    { method: "POST", path: "/groups", handler: (c) => ok({ id: sim.createGroup(parse(schemas.group, c.input)) }, 201) },
    {
      method: "POST",
      path: "/groups/:group/members",
      handler: (c) => {
        const b = parse(schemas.member, c.input);
        sim.addGroupMember(c.params.group ?? "", b.user_id, b.access_level);
        return ok(undefined, 201);
      },
    },
    { method: "POST", path: "/projects", handler: (c) => ok({ id: sim.createProject(parse(schemas.project, c.input)) }, 201) },
    {
      method: "POST",
      path: "/projects/:project/members",
      handler: (c) => {
        const b = parse(schemas.member, c.input);
        sim.addMember(project(c), b.user_id, b.access_level);
        return ok(undefined, 201);
      },
    },
    { method: "POST", path: "/tokens", handler: (c) => ok(sim.createToken(parse(schemas.token, c.input)), 201) },
    { method: "GET", path: "/tokens/:value", handler: (c) => ok(sim.tokenInfo(c.params.value ?? "")) },
    { method: "POST", path: "/tokens/:value/revoke", handler: (c) => (sim.revokeToken(c.params.value ?? ""), ok()) },
    { method: "POST", path: "/tokens/:value/expire", handler: (c) => (sim.expireToken(c.params.value ?? ""), ok()) },
    { method: "GET", path: "/projects/:project/labels", handler: (c) => ok(sim.labels(project(c))) },
    { method: "POST", path: "/projects/:project/labels", handler: (c) => ok(sim.createLabel(project(c), parse(schemas.label, c.input)), 201) },
    { method: "GET", path: "/projects/:project/hooks", handler: (c) => ok(sim.hooks(project(c))) },
    { method: "POST", path: "/projects/:project/hooks", handler: (c) => ok(sim.registerHook(project(c), parse(schemas.hook, c.input)), 201) },
    { method: "POST", path: "/projects/:project/issues", handler: (c) => ok(sim.createIssue(project(c), parse(schemas.issue, c.input)), 201) },
    {
      method: "POST",
      path: "/projects/:project/merge_requests",
      handler: (c) => ok(sim.createMergeRequest(project(c), parse(schemas.mergeRequest, c.input)), 201),
    },
    {
      method: "GET",
      path: "/projects/:project/issues/:iid",
      handler: (c) => {
        const issue = sim.getIssue(project(c), iid(c));
        if (!issue) throw new ApiError(404, { error: "no such issue" });
        return ok(issue);
      },
    },
    {
      method: "GET",
      path: "/projects/:project/merge_requests/:iid",
      handler: (c) => {
        const mr = sim.getMergeRequest(project(c), iid(c));
        if (!mr) throw new ApiError(404, { error: "no such merge request" });
        return ok(mr);
      },
    },
    {
      method: "POST",
      path: "/projects/:project/issues/:iid/actions",
      handler: async (c) => {
        const b = parse(schemas.issueAction, c.input);
        return ok({ deliveries: await sim.issueAction(project(c), iid(c), b.action, b.changes ?? {}, opts(b)) });
      },
    },
    {
      method: "POST",
      path: "/projects/:project/merge_requests/:iid/actions",
      handler: async (c) => {
        const b = parse(schemas.mergeRequestAction, c.input);
        return ok({ deliveries: await sim.mergeRequestAction(project(c), iid(c), b.action, b.changes ?? {}, opts(b)) });
      },
    },
    {
      method: "POST",
      path: "/projects/:project/merge_requests/:iid/draft",
      handler: async (c) => {
        const b = parse(schemas.draft, c.input);
        return ok({ deliveries: await sim.markDraft(project(c), iid(c), b.draft, opts(b)) });
      },
    },
    ...kinds.flatMap(([segment, kind]) => [
      {
        method: "PUT" as const,
        path: `/projects/:project/${segment}/:iid/labels`,
        handler: async (c: RouteContext) => {
          const b = parse(schemas.labels, c.input);
          return ok({ deliveries: await sim.setLabels(project(c), kind, iid(c), b.labels, opts(b)) });
        },
      },
      {
        method: "GET" as const,
        path: `/projects/:project/${segment}/:iid/notes`,
        handler: (c: RouteContext) => ok(sim.notes(project(c), kind, iid(c))),
      },
      {
        method: "POST" as const,
        path: `/projects/:project/${segment}/:iid/notes`,
        handler: async (c: RouteContext) => {
          const b = parse(schemas.note, c.input);
          return ok(await sim.addNote(project(c), kind, iid(c), { body: b.body, author_id: b.author_id, internal: b.internal }, opts(b)), 201);
        },
      },
    ]),
    {
      method: "GET",
      path: "/deliveries",
      handler: (c) => {
        const q = c.input;
        const num = (k: string) => (typeof q[k] === "string" && /^\d+$/.test(q[k] as string) ? Number(q[k]) : undefined);
        const s = (k: string) => (typeof q[k] === "string" ? (q[k] as string) : undefined);
        return ok(sim.deliveries({ hookId: num("hookId"), projectId: num("projectId"), event: s("event"), objectKind: s("objectKind"), action: s("action") }));
      },
    },
    { method: "DELETE", path: "/deliveries", handler: () => (sim.clearDeliveries(), ok()) },
    {
      method: "POST",
      path: "/deliveries/:id/resend",
      handler: async (c) => ok(await sim.resendDelivery(Number.parseInt(c.params.id ?? "", 10))),
    },
    { method: "POST", path: "/faults", handler: (c) => ok({ id: sim.injectFault(parse(schemas.fault, c.input)) }, 201) },
    { method: "DELETE", path: "/faults", handler: () => (sim.clearFaults(), ok()) },
    {
      method: "PUT",
      path: "/latency",
      handler: (c) => {
        const b = parse(schemas.latency, c.input);
        sim.setLatency(b.ms, b.pathPattern);
        return ok();
      },
    },
    { method: "GET", path: "/requests", handler: () => ok(sim.requests()) },
    { method: "DELETE", path: "/requests", handler: () => (sim.clearRequests(), ok()) },
    { method: "GET", path: "/quick-actions", handler: () => ok(sim.quickActions()) },
  );
  return r;
}

/** Wraps control handler errors: SimError and plain Errors become 400 JSON. */
export function controlError(err: unknown): ApiResponse {
  if (err instanceof ApiError) return { status: err.status, body: err.body };
  if (err instanceof SimError || err instanceof Error) return { status: 400, body: { error: err.message } };
  return { status: 500, body: { error: String(err) } };
}

export const CONTROL_ROUTES = [
  "GET /_sim/health",
  "POST /_sim/reset",
  "POST /_sim/seed",
  "POST /_sim/settle",
  "PUT /_sim/version {version}",
  "PUT /_sim/payload-style {style: modern|legacy}",
  "PUT /_sim/webhook-timeout {ms}",
  "POST /_sim/users {username, name?, bot?}",
  "POST /_sim/groups {path, name?, visibility?}",
  "POST /_sim/groups/:group/members {user_id, access_level}",
  "POST /_sim/projects {path_with_namespace, name?, visibility?, issues_enabled?, merge_requests_enabled?}",
  "POST /_sim/projects/:project/members {user_id, access_level}",
  "POST /_sim/tokens {value?, name, scopes, expires_at?, userId?, revoked?, projects?, groups?}",
  "GET /_sim/tokens/:value",
  "POST /_sim/tokens/:value/revoke",
  "POST /_sim/tokens/:value/expire",
  "GET|POST /_sim/projects/:project/labels",
  "GET|POST /_sim/projects/:project/hooks",
  "POST /_sim/projects/:project/issues",
  "POST /_sim/projects/:project/merge_requests",
  "GET /_sim/projects/:project/(issues|merge_requests)/:iid",
  "POST /_sim/projects/:project/issues/:iid/actions {action, changes?, deliver?, payloadStyle?, userId?}",
  "POST /_sim/projects/:project/merge_requests/:iid/actions {action, changes?, deliver?, payloadStyle?, userId?}",
  "POST /_sim/projects/:project/merge_requests/:iid/draft {draft}",
  "PUT /_sim/projects/:project/(issues|merge_requests)/:iid/labels {labels}",
  "GET|POST /_sim/projects/:project/(issues|merge_requests)/:iid/notes",
  "GET /_sim/deliveries?hookId=&projectId=&event=&objectKind=&action=",
  "DELETE /_sim/deliveries",
  "POST /_sim/deliveries/:id/resend",
  "POST /_sim/faults {status, count?, probability?, pathPattern?, method?, retryAfter?, body?}",
  "DELETE /_sim/faults",
  "PUT /_sim/latency {ms, pathPattern?}",
  "GET|DELETE /_sim/requests",
  "GET /_sim/quick-actions",
];
