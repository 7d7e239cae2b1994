// A small Grape-like router. Matching runs on the *raw* path split at "/", so an encoded project path
// (`group%2Fsub%2Fproject`) is one segment while an unencoded one does not match any route.
import type { ApiResponse, Params } from "./http";
import type { SimStore } from "./store";
import type { Token, User } from "./types";

export interface Actor {
  user: User;
  token: Token;
}

export interface RouteContext {
  store: SimStore;
  method: string;
  /** Decoded route parameters (`:id`, `:issue_iid`, …). */
  params: Record<string, string>;
  /** Query and body parameters merged (body wins), like Grape's `params`. */
  input: Params;
  rawQuery: string;
  /** Raw path after `/api/v4`. */
  rawPath: string;
  /** Absolute URL of this request path (used in Link headers). */
  baseUrl: string;
  actor: Actor | null;
  /** `X-Gitlab-Event-UUID` sent by a webhook consumer calling back (recursion detection). */
  eventUuid: string | null;
}

type Handler = (ctx: RouteContext) => ApiResponse | Promise<ApiResponse>;

export interface RouteDef {
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  /** `optional` lets anonymous requests through (public projects). */
  auth?: "required" | "optional";
  /** Token scopes accepted besides the method default (`api`, plus `read_api` for GET). `any` accepts every scope. */
  extraScopes?: string[] | "any";
  /** Route exists only from this GitLab version on. */
  minVersion?: string;
  handler: Handler;
}

interface CompiledRoute extends RouteDef {
  segments: string[];
}

export type MatchResult =
  | { kind: "match"; route: CompiledRoute; params: Record<string, string> }
  | { kind: "method-not-allowed"; allow: string[] }
  | { kind: "none" };

export class Router {
  private routes: CompiledRoute[] = [];

  add(...defs: RouteDef[]): this {
    for (const d of defs) this.routes.push({ ...d, segments: d.path.split("/").filter(Boolean) });
    return this;
  }

  match(method: string, rawPath: string, isAvailable: (r: RouteDef) => boolean = () => true): MatchResult {
    const segs = rawPath.split("/").filter(Boolean);
    const allow = new Set<string>();
    const wanted = method === "HEAD" ? "GET" : method;
    let best: { route: CompiledRoute; params: Record<string, string>; literals: number } | null = null;
    for (const route of this.routes) {
      if (!isAvailable(route)) continue;
      const params = matchSegments(route.segments, segs);
      if (!params) continue;
      if (route.method !== wanted) {
        allow.add(route.method);
        continue;
      }
      // Literal segments win over parameters (`/members/all` before `/members/:user_id`).
      const literals = route.segments.filter((s) => !s.startsWith(":")).length;
      if (!best || literals > best.literals) best = { route, params, literals };
    }
    if (best) return { kind: "match", route: best.route, params: best.params };
    return allow.size > 0 ? { kind: "method-not-allowed", allow: [...allow] } : { kind: "none" };
  }
}

function matchSegments(pattern: string[], segs: string[]): Record<string, string> | null {
  if (pattern.length !== segs.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    const s = segs[i] as string;
    if (p.startsWith(":")) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(s);
      } catch {
        return null;
      }
      if (decoded.length === 0) return null;
      params[p.slice(1)] = decoded;
    } else if (p !== s) {
      return null;
    }
  }
  return params;
}
