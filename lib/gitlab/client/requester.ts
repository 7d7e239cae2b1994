import "server-only";
import { createRequesterFn, type RequesterType, type ResourceOptions } from "@gitbeaker/requester-utils";
import {
  describeGitLabErrorBody,
  GitLabApiError,
  GitLabUnreachableError,
  retryAfterSeconds,
} from "@/lib/gitlab/client/errors";
import { sendToGitLab } from "@/lib/gitlab/client/transport";

// Gitbeaker's resource classes (@gitbeaker/core) describe GitLab's endpoints; this requester is
// the transport they run on. Gitbeaker's default one sleeps through up to ten 429/502 retries with
// fixed backoff that ignores Retry-After (about four minutes) under a five-minute timeout; ours
// answers within 10 s, surfaces Retry-After to the caller (the job queue reschedules; browsing
// shows the wait), and connects only through the SSRF guard.

export interface RequesterSettings {
  allowPrivateNetwork: boolean;
  /** Extra headers for every call, e.g. X-Gitlab-Event-UUID to break webhook loops. */
  extraHeaders?: Record<string, string>;
  /** Called once per HTTP request (tests and benchmarks count GitLab calls). */
  onRequest?: (method: string, url: string) => void;
  /** Time left for this request; the client spends one budget across a call and its retry. */
  timeoutMs?: () => number | undefined;
  /** Sees every answer's status and headers (list calls read GitLab's pagination headers). */
  onResponse?: (status: number, headers: Record<string, string>) => void;
}

interface GitbeakerRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  searchParams?: string;
  prefixUrl?: string;
  signal?: AbortSignal;
}

export function createGitLabRequester(
  settings: RequesterSettings,
): (options: ResourceOptions) => RequesterType {
  return createRequesterFn(
    async (_service, requestOptions) => requestOptions,
    async (endpoint, rawOptions) => {
      const options = (rawOptions ?? {}) as GitbeakerRequestOptions;
      const url = new URL(
        endpoint,
        options.prefixUrl?.endsWith("/") ? options.prefixUrl : `${options.prefixUrl}/`,
      );
      if (options.searchParams) url.search = options.searchParams;
      const method = options.method ?? "GET";
      if (options.body !== undefined && typeof options.body !== "string") {
        throw new Error("GitLab requests are sent as JSON; form bodies are not supported");
      }
      settings.onRequest?.(method, url.toString());
      const response = await sendToGitLab(
        {
          method,
          url: url.toString(),
          headers: { ...options.headers, ...settings.extraHeaders },
          body: options.body as string | undefined,
          signal: options.signal,
          timeoutMs: settings.timeoutMs?.(),
        },
        { allowPrivateNetwork: settings.allowPrivateNetwork },
      );
      settings.onResponse?.(response.status, response.headers);
      const path = `${method} ${url.pathname.replace(/^.*?\/api\/v4/, "")}`;
      if (response.status >= 200 && response.status < 300) {
        return {
          status: response.status,
          headers: response.headers,
          body: parseBody(response.text, response.headers, url.origin),
        };
      }
      const { message, errorCode } = describeGitLabErrorBody(response.text);
      throw new GitLabApiError(
        response.status,
        message,
        errorCode,
        response.status === 429 ? retryAfterSeconds(response.headers) : null,
        path,
      );
    },
  );
}

function parseBody(text: string, headers: Record<string, string>, origin: string) {
  if (!text) return null;
  if (!(headers["content-type"] ?? "").includes("json")) {
    // A 200 that is not JSON means the URL is not a GitLab API (a login page, a proxy, …).
    throw new GitLabUnreachableError(
      origin,
      "not_gitlab",
      "the answer was not JSON: is this a GitLab instance?",
    );
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new GitLabUnreachableError(origin, "not_gitlab", "the answer was malformed JSON");
  }
}
