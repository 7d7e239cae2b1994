import "server-only";
import { ApiError } from "@/lib/api/errors";
import { BlockedAddressError } from "@/lib/gitlab/client/network-guard";
import type { HintedError, JobFailureHint } from "@/lib/jobs/errors";

// What can go wrong talking to GitLab, and how each case is told to an API caller: 502 when GitLab
// cannot be reached or fails, 400 when the user can fix it (token, scope, role, unknown project),
// 503 with Retry-After when GitLab rate-limits us.

export class GitLabUnreachableError extends Error implements HintedError {
  constructor(
    public readonly instance: string,
    /** `not_gitlab`: something answered, but not GitLab's JSON API (a web page, a proxy, …). */
    public readonly reason: "timeout" | "dns" | "refused" | "tls" | "network" | "too_large" | "not_gitlab",
    detail: string,
  ) {
    super(`GitLab at ${instance} could not be reached (${detail})`);
    this.name = "GitLabUnreachableError";
  }

  /** No answer, or not GitLab's: an outage the job waits out (a too-large answer is not one). */
  jobFailureHint(): JobFailureHint {
    return { kind: this.reason === "too_large" ? "transient" : "unreachable" };
  }
}

/** GitLab's messages are stored (token_status_reason, job errors) and shown as they are: keep them short. */
export const MAX_GITLAB_MESSAGE_LENGTH = 300;

function capGitLabMessage(message: string): string {
  const chars = Array.from(message);
  return chars.length <= MAX_GITLAB_MESSAGE_LENGTH
    ? message
    : `${chars.slice(0, MAX_GITLAB_MESSAGE_LENGTH - 1).join("")}…`;
}

export class GitLabApiError extends Error implements HintedError {
  /** GitLab's own message (`message` or `error` of its body), or the body text; at most 300 characters. */
  public readonly gitlabMessage: string;

  constructor(
    public readonly status: number,
    gitlabMessage: string,
    /** e.g. "insufficient_scope", "invalid_token" from OAuth-style bodies. */
    public readonly errorCode: string | null,
    /** Seconds to wait before retrying (429 Retry-After or RateLimit-Reset), when GitLab said. */
    public readonly retryAfterSeconds: number | null,
    public readonly endpoint: string,
  ) {
    const capped = capGitLabMessage(gitlabMessage);
    super(`GitLab answered ${status} for ${endpoint}: ${capped}`);
    this.gitlabMessage = capped;
    this.name = "GitLabApiError";
  }

  get isAuthFailure(): boolean {
    return this.status === 401 || (this.status === 403 && this.errorCode === "insufficient_scope");
  }

  /** For the job queue: a rejected token pauses the integration's jobs, 429 waits, 5xx is an outage waited out. */
  jobFailureHint(): JobFailureHint {
    if (this.status === 401 || this.status === 403)
      return { kind: "pause-group", reason: `GitLab answered ${this.status}: ${this.gitlabMessage}` };
    if (this.status === 429)
      return {
        kind: "rate-limited",
        waitMs: this.retryAfterSeconds !== null ? this.retryAfterSeconds * 1000 : null,
      };
    if (this.status >= 500) return { kind: "unreachable" };
    const transient = this.status === 409 && /resource lock/i.test(this.gitlabMessage);
    return { kind: transient ? "transient" : "permanent" };
  }
}

/** A 403 about what the token may do here (its role, a locked discussion, another user's note), not about the token itself. */
export function isGitLabRefusal(error: unknown): error is GitLabApiError {
  return error instanceof GitLabApiError && error.status === 403 && !error.isAuthFailure;
}

/** Parses GitLab's error bodies: {"message": "..."} | {"message": {...}} | {"error": "...", "error_description"}. */
export function describeGitLabErrorBody(text: string): { message: string; errorCode: string | null } {
  const described = readGitLabErrorBody(text);
  return { ...described, message: capGitLabMessage(described.message) };
}

function readGitLabErrorBody(text: string): { message: string; errorCode: string | null } {
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown; error_description?: unknown };
    if (typeof body.error === "string") {
      return {
        message: typeof body.error_description === "string" ? body.error_description : body.error,
        errorCode: body.error_description ? body.error : null,
      };
    }
    if (typeof body.message === "string") return { message: body.message, errorCode: null };
    if (body.message && typeof body.message === "object") {
      const inner = body.message as Record<string, unknown>;
      if (typeof inner.error === "string") return { message: inner.error, errorCode: null };
      return {
        message: Object.entries(inner)
          .map(([field, value]) => `${field} ${Array.isArray(value) ? value.join(", ") : String(value)}`)
          .join("; "),
        errorCode: null,
      };
    }
  } catch {
    // Plain text (e.g. Rack::Attack's "Retry later").
  }
  return { message: text.trim() || "no details", errorCode: null };
}

/** Seconds to wait from a 429's Retry-After (seconds or HTTP date) or RateLimit-Reset (epoch). */
export function retryAfterSeconds(headers: Record<string, string>, now: number = Date.now()): number | null {
  const retryAfter = headers["retry-after"];
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, Math.ceil((date - now) / 1000));
  }
  const reset = Number(headers["ratelimit-reset"]);
  if (Number.isFinite(reset) && reset > 0) return Math.max(0, Math.ceil(reset - now / 1000));
  return null;
}

/** Maps a GitLab failure to the API error a Flagpost caller sees. `what` names the object asked for. */
export function gitLabErrorToApiError(error: unknown, what = "The GitLab resource"): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof BlockedAddressError) return new ApiError("bad_request", error.message);
  if (error instanceof GitLabUnreachableError) return new ApiError("bad_gateway", error.message);
  if (!(error instanceof GitLabApiError)) throw error;
  const { status, gitlabMessage, errorCode } = error;
  if (status === 401) {
    const reason = /expired/i.test(gitlabMessage)
      ? "has expired"
      : /revoked/i.test(gitlabMessage)
        ? "was revoked"
        : "is not valid";
    return new ApiError(
      "bad_request",
      `GitLab rejected the access token: it ${reason}. Rotate the token in the GitLab integration settings.`,
      {
        gitlab_status: status,
        gitlab_message: gitlabMessage,
      },
    );
  }
  if (status === 403 && errorCode === "insufficient_scope") {
    return new ApiError(
      "bad_request",
      "The access token lacks the `api` scope. Create a token with the api scope.",
      { gitlab_status: status },
    );
  }
  if (status === 403) {
    return new ApiError(
      "bad_request",
      `GitLab refused: the token's role is too low for this (${gitlabMessage}).`,
      { gitlab_status: status },
    );
  }
  if (status === 404) {
    return new ApiError(
      "bad_request",
      `${what} was not found or is not visible to the integration's token.`,
      { gitlab_status: status },
    );
  }
  if (status === 429) {
    const wait = error.retryAfterSeconds ?? 60;
    return new ApiError(
      "service_unavailable",
      `GitLab is rate-limiting requests; try again in ${wait} s.`,
      { gitlab_status: status },
      {
        "retry-after": String(wait),
      },
    );
  }
  if (status >= 500)
    return new ApiError("bad_gateway", `GitLab failed (HTTP ${status}); try again later.`, {
      gitlab_status: status,
    });
  return new ApiError("bad_request", `GitLab refused the request (HTTP ${status}): ${gitlabMessage}`, {
    gitlab_status: status,
  });
}
