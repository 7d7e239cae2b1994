// Token authentication as in GitLab's AuthFinders/APIGuard: `private_token` param, `PRIVATE-TOKEN`
// header or `Authorization: Bearer`. Unknown → 401 `401 Unauthorized`; expired/revoked → OAuth-style
// `invalid_token` with `WWW-Authenticate`; too-small scope → 403 `insufficient_scope`.
import type { IncomingHttpHeaders } from "node:http";
import { ApiError, errors } from "./http";
import type { Actor, RouteDef } from "./router";
import type { SimStore } from "./store";
import type { Token } from "./types";
import { nowIso } from "./util";
import { tokenExpired } from "./tokens";

const REALM = 'Bearer realm="Protected by OAuth 2.0"';

function invalidToken(description: string): ApiError {
  return new ApiError(
    401,
    { error: "invalid_token", error_description: description },
    { "WWW-Authenticate": `${REALM}, error="invalid_token", error_description="${description}"` },
  );
}

export function extractToken(headers: IncomingHttpHeaders, query: URLSearchParams): string | null {
  const param = query.get("private_token") ?? query.get("access_token");
  if (param) return param;
  const header = headers["private-token"];
  if (typeof header === "string" && header.length > 0) return header;
  const authz = headers.authorization;
  if (typeof authz === "string") {
    const m = /^Bearer\s+(.+)$/i.exec(authz.trim());
    if (m) return (m[1] as string).trim();
  }
  return null;
}

/** Finds the token (without validating it) so the request log can name it even when auth fails. */
export function lookupToken(store: SimStore, value: string | null): Token | null {
  return value ? (store.tokens.get(value) ?? null) : null;
}

export function authenticate(
  store: SimStore,
  value: string | null,
  route: RouteDef,
  method: string,
): Actor | null {
  if (value === null) {
    if (route.auth === "optional") return null;
    throw errors.unauthorized();
  }
  const token = store.tokens.get(value);
  if (!token) throw errors.unauthorized();
  const user = store.users.get(token.userId);
  if (!user) throw errors.unauthorized();
  if (token.revoked) throw invalidToken("Token was revoked. You have to re-authorize from the user.");
  if (tokenExpired(store, token)) {
    throw invalidToken("Token is expired. You can either do re-authorization or token refresh.");
  }
  if (user.state === "blocked") throw errors.forbidden("Your account has been blocked.");
  const allowed = allowedScopes(route, method);
  if (allowed !== "any" && !token.scopes.some((s) => allowed.includes(s))) {
    throw new ApiError(403, {
      error: "insufficient_scope",
      error_description: "The request requires higher privileges than provided by the access token.",
      scope: allowed.join(" "),
    });
  }
  token.lastUsedAt = nowIso();
  return { user, token };
}

function allowedScopes(route: RouteDef, method: string): string[] | "any" {
  if (route.extraScopes === "any") return "any";
  const read = method === "GET" || method === "HEAD";
  return [...(read ? ["api", "read_api"] : ["api"]), ...(route.extraScopes ?? [])];
}
