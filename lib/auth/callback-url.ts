import "server-only";

// Where sign-in and first-run setup go afterwards: the page the visitor asked for, but only ever a
// path of this site. Anything that a browser could read as another origin (`//evil`, `/\evil`,
// `https://…`, control characters) falls back to the projects page: no open redirect.

export const DEFAULT_AFTER_SIGN_IN = "/projects";

/** The request header the proxy sets to the path (and query) of the page being asked for. */
export const REQUESTED_PATH_HEADER = "x-flagpost-requested-path";

export function safeCallbackPath(value: string | string[] | null | undefined): string {
  const path = Array.isArray(value) ? value[0] : value;
  if (!path || path.length > 2048) return DEFAULT_AFTER_SIGN_IN;
  if (!path.startsWith("/") || path.startsWith("//")) return DEFAULT_AFTER_SIGN_IN;
  // Browsers treat "\" as "/" and drop tabs and newlines from URLs, so "/\evil" or "/\t/evil" is "//evil".
  if (/[\\\u0000-\u001f\u007f]/.test(path)) return DEFAULT_AFTER_SIGN_IN;
  // Whatever is left must resolve to a path of the same origin.
  const base = "http://flagpost.invalid";
  const resolved = new URL(path, base);
  if (resolved.origin !== base) return DEFAULT_AFTER_SIGN_IN;
  // Signing in again, or setting up again, is no place to return to.
  if (/^\/(login|setup)(\/|\?|#|$)/.test(resolved.pathname)) return DEFAULT_AFTER_SIGN_IN;
  return `${resolved.pathname}${resolved.search}${resolved.hash}`;
}

/** `/login` or `/setup` carrying the page to return to, when there is one worth returning to. */
export function withCallback(page: "/login" | "/setup", requested: string | null | undefined): string {
  const target = safeCallbackPath(requested);
  return target === DEFAULT_AFTER_SIGN_IN ? page : `${page}?callbackUrl=${encodeURIComponent(target)}`;
}
