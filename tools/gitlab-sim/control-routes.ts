// HTTP face of SimulatorControl under `{basePath}/_sim/...` (JSON in/out, no auth), for Playwright
// and humans. `:project` is a numeric id or a URL-encoded full path.
import type { SimulatorControl } from "./control";
import { parse, schemas } from "./control-schemas";
import { type ApiResponse, ApiError } from "./http";
import { Router, type RouteContext } from "./router";
import { SimError } from "./store";

const ok = (body: unknown = { ok: true }, status = 200): ApiResponse => ({ status, body });
const iid = (ctx: RouteContext) => Number.parseInt(ctx.params.iid ?? "", 10);
const project = (ctx: RouteContext): number | string => {
  const ref = ctx.params.project ?? "";
  return /^\d+$/.test(ref) ? Number(ref) : ref;
};
/** `:user` is a numeric user id or a username. */
function userRef(sim: SimulatorControl, ctx: RouteContext): number {
  const ref = ctx.params.user ?? "";
  const user = sim.getUser(/^\d+$/.test(ref) ? Number(ref) : ref);
  if (!user) throw new ApiError(404, { error: `no such user ${ref}` });
  return user.id;
}
function memberId(sim: SimulatorControl, body: { user_id?: number; username?: string }): number {
  if (body.user_id !== undefined) return body.user_id;
  const user = sim.getUser(body.username ?? "");
  if (!user) throw new ApiError(400, { error: `no such user ${body.username}` });
  return user.id;
}
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
    {
      method: "GET",
      path: "/health",
      handler: (c) => ok({ status: "ok", instance_url: c.store.instanceUrl, version: c.store.version }),
    },
    { method: "POST", path: "/reset", handler: () => (sim.reset(), ok()) },
    { method: "POST", path: "/seed", handler: () => ok(sim.seedDemo()) },
    { method: "POST", path: "/settle", handler: async () => (await sim.settle(), ok()) },
    {
      method: "PUT",
      path: "/version",
      handler: (c) => (sim.setVersion(parse(schemas.version, c.input).version), ok()),
    },
    {
      method: "PUT",
      path: "/payload-style",
      handler: (c) => (sim.setPayloadStyle(parse(schemas.style, c.input).style), ok()),
    },
    {
      method: "PUT",
      path: "/webhook-timeout",
      handler: (c) => (sim.setWebhookTimeout(parse(schemas.timeout, c.input).ms), ok()),
    },
    {
      method: "POST",
      path: "/users",
      handler: (c) => ok({ id: sim.createUser(parse(schemas.user, c.input)) }, 201),
    },
    {
      method: "POST",
      path: "/groups",
      handler: (c) => ok({ id: sim.createGroup(parse(schemas.group, c.input)) }, 201),
    },
    {
      method: "POST",
      path: "/groups/:group/members",
      handler: (c) => {
        const b = parse(schemas.member, c.input);
        sim.addGroupMember(c.params.group ?? "", memberId(sim, b), b.access_level);
        return ok(undefined, 201);
      },
    },
    {
      method: "DELETE",
      path: "/groups/:group/members/:user",
      handler: (c) => (sim.removeGroupMember(c.params.group ?? "", userRef(sim, c)), ok()),
    },
    {
      method: "POST",
      path: "/projects",
      handler: (c) => ok({ id: sim.createProject(parse(schemas.project, c.input)) }, 201),
    },
    {
      method: "POST",
      path: "/projects/:project/members",
      handler: (c) => {
        const b = parse(schemas.member, c.input);
        sim.addMember(project(c), memberId(sim, b), b.access_level);
        return ok(undefined, 201);
      },
    },
    {
      method: "PUT",
      path: "/projects/:project/members/:user",
      handler: (c) => (
        sim.addMember(project(c), userRef(sim, c), parse(schemas.memberRole, c.input).access_level),
        ok()
      ),
    },
    {
      method: "DELETE",
      path: "/projects/:project/members/:user",
      handler: (c) => (sim.removeMember(project(c), userRef(sim, c)), ok()),
    },
    {
      method: "POST",
      path: "/tokens",
      handler: (c) => ok(sim.createToken(parse(schemas.token, c.input)), 201),
    },
    { method: "GET", path: "/tokens/:value", handler: (c) => ok(sim.tokenInfo(c.params.value ?? "")) },
    {
      method: "POST",
      path: "/tokens/:value/revoke",
      handler: (c) => (sim.revokeToken(c.params.value ?? ""), ok()),
    },
    {
      method: "POST",
      path: "/tokens/:value/expire",
      handler: (c) => (sim.expireToken(c.params.value ?? ""), ok()),
    },
    { method: "GET", path: "/projects/:project/labels", handler: (c) => ok(sim.labels(project(c))) },
    {
      method: "POST",
      path: "/projects/:project/labels",
      handler: (c) => ok(sim.createLabel(project(c), parse(schemas.label, c.input)), 201),
    },
    { method: "GET", path: "/projects/:project/hooks", handler: (c) => ok(sim.hooks(project(c))) },
    {
      method: "POST",
      path: "/projects/:project/hooks",
      handler: (c) => ok(sim.registerHook(project(c), parse(schemas.hook, c.input)), 201),
    },
    {
      method: "POST",
      path: "/projects/:project/issues",
      handler: (c) => ok(sim.createIssue(project(c), parse(schemas.issue, c.input)), 201),
    },
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
        return ok({
          deliveries: await sim.issueAction(project(c), iid(c), b.action, b.changes ?? {}, opts(b)),
        });
      },
    },
    {
      method: "POST",
      path: "/projects/:project/merge_requests/:iid/actions",
      handler: async (c) => {
        const b = parse(schemas.mergeRequestAction, c.input);
        return ok({
          deliveries: await sim.mergeRequestAction(project(c), iid(c), b.action, b.changes ?? {}, opts(b)),
        });
      },
    },
    {
      method: "POST",
      path: "/projects/:project/merge_requests/:iid/revert",
      handler: async (c) => {
        const b = parse(schemas.revert, c.input);
        return ok(
          await sim.revertMergeRequest(project(c), iid(c), { mode: b.mode, merge: b.merge }, opts(b)),
          201,
        );
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
          const note = {
            body: b.body,
            author_id: b.author_id,
            author: b.author,
            internal: b.internal,
            thread: b.thread,
            discussion_id: b.discussion_id,
          };
          return ok(await sim.addNote(project(c), kind, iid(c), note, opts(b)), 201);
        },
      },
      {
        method: "PUT" as const,
        path: `/projects/:project/${segment}/:iid/notes/:note_id`,
        handler: async (c: RouteContext) => {
          const b = parse(schemas.noteEdit, c.input);
          const noteId = Number.parseInt(c.params.note_id ?? "", 10);
          return ok(
            await sim.editNote(
              project(c),
              kind,
              iid(c),
              noteId,
              { body: b.body, author_id: b.author_id, author: b.author },
              opts(b),
            ),
          );
        },
      },
      {
        method: "GET" as const,
        path: `/projects/:project/${segment}/:iid/discussions`,
        handler: (c: RouteContext) => ok(sim.discussions(project(c), kind, iid(c))),
      },
    ]),
    {
      method: "GET",
      path: "/deliveries",
      handler: (c) => {
        const q = c.input;
        const num = (k: string) =>
          typeof q[k] === "string" && /^\d+$/.test(q[k] as string) ? Number(q[k]) : undefined;
        const s = (k: string) => (typeof q[k] === "string" ? (q[k] as string) : undefined);
        return ok(
          sim.deliveries({
            hookId: num("hookId"),
            projectId: num("projectId"),
            event: s("event"),
            objectKind: s("objectKind"),
            action: s("action"),
          }),
        );
      },
    },
    { method: "DELETE", path: "/deliveries", handler: () => (sim.clearDeliveries(), ok()) },
    {
      method: "POST",
      path: "/deliveries/:id/resend",
      handler: async (c) => ok(await sim.resendDelivery(Number.parseInt(c.params.id ?? "", 10))),
    },
    {
      method: "POST",
      path: "/faults",
      handler: (c) => ok({ id: sim.injectFault(parse(schemas.fault, c.input)) }, 201),
    },
    { method: "GET", path: "/faults", handler: () => ok(sim.faults()) },
    { method: "DELETE", path: "/faults", handler: () => (sim.clearFaults(), ok()) },
    {
      method: "DELETE",
      path: "/faults/:id",
      handler: (c) => (sim.removeFault(Number.parseInt(c.params.id ?? "", 10)), ok()),
    },
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

const CONTROL_ROUTES = [
  "GET /_sim/health",
  "POST /_sim/reset",
  "POST /_sim/seed",
  "POST /_sim/settle",
  "PUT /_sim/version {version}",
  "PUT /_sim/payload-style {style: modern|legacy}",
  "PUT /_sim/webhook-timeout {ms}",
  "POST /_sim/users {username, name?, bot?}",
  "POST /_sim/groups {path, name?, visibility?}",
  "POST /_sim/groups/:group/members {user_id|username, access_level}",
  "DELETE /_sim/groups/:group/members/:user",
  "POST /_sim/projects {path_with_namespace, name?, visibility?, issues_enabled?, merge_requests_enabled?}",
  "POST /_sim/projects/:project/members {user_id|username, access_level}",
  "PUT /_sim/projects/:project/members/:user {access_level}",
  "DELETE /_sim/projects/:project/members/:user",
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
  "POST /_sim/projects/:project/merge_requests/:iid/revert {mode?: merge_request|direct, merge?, userId?}",
  "PUT /_sim/projects/:project/(issues|merge_requests)/:iid/labels {labels}",
  "GET|POST /_sim/projects/:project/(issues|merge_requests)/:iid/notes {body, author_id?|author?, internal?, thread?, discussion_id?}",
  "PUT /_sim/projects/:project/(issues|merge_requests)/:iid/notes/:note_id {body, author_id?|author?}",
  "GET /_sim/projects/:project/(issues|merge_requests)/:iid/discussions",
  "GET /_sim/deliveries?hookId=&projectId=&event=&objectKind=&action=",
  "DELETE /_sim/deliveries",
  "POST /_sim/deliveries/:id/resend",
  "POST /_sim/faults {status | drop: true, count? (-1: until removed), probability?, pathPattern?, method?, retryAfter?, body?}",
  "GET /_sim/faults",
  "DELETE /_sim/faults (faults and latency)",
  "DELETE /_sim/faults/:id",
  "PUT /_sim/latency {ms, pathPattern?}",
  "GET|DELETE /_sim/requests",
  "GET /_sim/quick-actions",
];
