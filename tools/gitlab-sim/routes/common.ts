// Helpers shared by the REST route modules.
import { type ApiResponse, ApiError, errors } from "../http";
import { paginate } from "../pagination";
import type { RouteContext } from "../router";
import type { Project, SimEvent, User } from "../types";
import { dispatchEvents } from "../webhook-delivery";
import { canReadProject, effectiveLevel } from "../permissions";

export function viewer(ctx: RouteContext): User | null {
  return ctx.actor?.user ?? null;
}

export function requireViewer(ctx: RouteContext): User {
  const u = ctx.actor?.user;
  if (!u) throw errors.unauthorized();
  return u;
}

/** `:id` → project, or 404 Project Not Found when missing or invisible to the token. */
export function loadProject(ctx: RouteContext): Project {
  const ref = ctx.params.id ?? "";
  const project = ctx.store.findProject(ref);
  if (!project || !canReadProject(ctx.store, viewer(ctx), project)) throw errors.projectNotFound();
  return project;
}

export function level(ctx: RouteContext, project: Project): number {
  return effectiveLevel(ctx.store, viewer(ctx), project);
}

export function requireLevel(ctx: RouteContext, project: Project, min: number): void {
  if (level(ctx, project) < min) throw errors.forbidden();
}

/** Integer route parameter (`:issue_iid`, `:note_id`, …); Grape answers 400 `<name> is invalid`. */
export function intParam(ctx: RouteContext, name: string): number {
  const raw = ctx.params[name] ?? "";
  if (!/^\d+$/.test(raw)) throw new ApiError(400, { error: `${name} is invalid` });
  return Number.parseInt(raw, 10);
}

export function list<T>(
  ctx: RouteContext,
  items: readonly T[],
  serialize: (item: T) => unknown,
): ApiResponse {
  const page = paginate({ baseUrl: ctx.baseUrl, rawQuery: ctx.rawQuery, params: ctx.input }, items);
  return { status: 200, body: page.items.map(serialize), headers: page.headers };
}

/** Fires the webhooks of an API-triggered change in the background, like GitLab's Sidekiq jobs. */
export function emit(ctx: RouteContext, events: SimEvent[]): void {
  if (events.length === 0) return;
  void dispatchEvents(ctx.store, events, { deliver: "async", eventUuid: ctx.eventUuid });
}

export function ok(body: unknown, status = 200): ApiResponse {
  return { status, body };
}

export function sortBy<T>(
  items: T[],
  key: (item: T) => string | number | null,
  dir: "asc" | "desc",
  tie: (item: T) => number,
): T[] {
  const sign = dir === "asc" ? 1 : -1;
  return [...items].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) {
      if (ka === null) return 1;
      if (kb === null) return -1;
      return (ka < kb ? -1 : 1) * sign;
    }
    return (tie(a) - tie(b)) * sign;
  });
}

/** GitLab's search semantics: terms of 3+ characters match as substrings, shorter queries match exactly. */
export function matchesSearch(query: string, fields: (string | null | undefined)[]): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  const values = fields.filter((f): f is string => typeof f === "string").map((f) => f.toLowerCase());
  const words = q.split(/\s+/).filter((w) => w.length >= 3);
  if (q.length < 3 || words.length === 0) return values.some((v) => v === q);
  return words.every((w) => values.some((v) => v.includes(w)));
}
