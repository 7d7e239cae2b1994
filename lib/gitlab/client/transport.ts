import "server-only";
import http from "node:http";
import https from "node:https";
import {
  addressPolicy,
  assertHostAllowed,
  BlockedAddressError,
  guardedLookup,
  type AddressPolicy,
} from "@/lib/gitlab/client/network-guard";
import { GitLabUnreachableError } from "@/lib/gitlab/client/errors";

// The one place Flagpost sends HTTP to a GitLab instance. It adds what a generic fetch lacks here:
// the SSRF guard on every connection (including after redirects), a whole-request deadline, a
// response size cap, and never forwarding the token to another origin on a redirect.

export const GITLAB_TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 20 * 1024 * 1024;
const MAX_REDIRECTS = 3;

export interface TransportRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface TransportResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The URL finally answered, after redirects. */
  url: string;
}

export interface TransportOptions {
  allowPrivateNetwork: boolean;
  /** Overrides the address policy derived from allowPrivateNetwork (tests of mixed cases). */
  isBlocked?: AddressPolicy;
}

function classify(error: NodeJS.ErrnoException, timedOut: boolean): GitLabUnreachableError["reason"] {
  if (timedOut) return "timeout";
  if (error.code === "ENOTFOUND" || error.code === "EAI_AGAIN") return "dns";
  if (error.code === "ECONNREFUSED") return "refused";
  if (error.code?.startsWith("ERR_TLS") || /certificate|SSL|TLS/i.test(error.message)) return "tls";
  return "network";
}

function once(
  request: TransportRequest,
  options: TransportOptions,
  deadline: number,
): Promise<TransportResponse> {
  const url = new URL(request.url);
  const isBlocked = options.isBlocked ?? addressPolicy(options.allowPrivateNetwork);
  assertHostAllowed(url.hostname, isBlocked);
  const client = url.protocol === "https:" ? https : http;
  const instance = url.origin;
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const req = client.request(
      url,
      {
        method: request.method,
        headers: {
          accept: "application/json",
          "user-agent": "Flagpost",
          ...(request.body !== undefined
            ? { "content-length": Buffer.byteLength(request.body).toString() }
            : {}),
          ...request.headers,
        },
        lookup: guardedLookup(isBlocked),
        signal: request.signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) {
            req.destroy(new GitLabUnreachableError(instance, "too_large", "response larger than 20 MB"));
            return;
          }
          chunks.push(chunk);
        });
        res.on("end", () => {
          clearTimeout(timer);
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined)
              headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
          }
          resolve({
            status: res.statusCode ?? 0,
            headers,
            text: Buffer.concat(chunks).toString("utf8"),
            url: url.toString(),
          });
        });
        res.on("error", (error) => req.destroy(error));
      },
    );
    const timer = setTimeout(
      () => {
        timedOut = true;
        req.destroy(new Error("timed out"));
      },
      Math.max(1, deadline - Date.now()),
    );
    req.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (error instanceof BlockedAddressError || error instanceof GitLabUnreachableError)
        return reject(error);
      // The lookup hook's refusal arrives wrapped by the socket layer on some Node versions.
      const cause = (error as { cause?: unknown }).cause;
      if (cause instanceof BlockedAddressError) return reject(cause);
      if (error.name === "AbortError") return reject(error);
      const reason = classify(error, timedOut);
      reject(
        new GitLabUnreachableError(
          instance,
          reason,
          reason === "timeout"
            ? `no answer within ${Math.round((request.timeoutMs ?? GITLAB_TIMEOUT_MS) / 1000)} s`
            : (error.code ?? error.message),
        ),
      );
    });
    if (request.body !== undefined) req.write(request.body);
    req.end();
  });
}

/** Sends one request; follows up to three redirects for GET (GitLab answers 301 for moved projects). */
export async function sendToGitLab(
  request: TransportRequest,
  options: TransportOptions,
): Promise<TransportResponse> {
  const deadline = Date.now() + (request.timeoutMs ?? GITLAB_TIMEOUT_MS);
  let current = request;
  for (let hop = 0; ; hop++) {
    const response = await once(current, options, deadline);
    const location = response.headers.location;
    const redirect = [301, 302, 303, 307, 308].includes(response.status) && location;
    if (!redirect || hop >= MAX_REDIRECTS || (current.method !== "GET" && current.method !== "HEAD"))
      return response;
    const next = new URL(location, current.url);
    const sameOrigin = next.origin === new URL(current.url).origin;
    const headers = { ...current.headers };
    if (!sameOrigin) {
      // Never hand the token to a different host because it told us to go there.
      for (const name of Object.keys(headers)) {
        if (/^(private-token|authorization)$/i.test(name)) delete headers[name];
      }
    }
    current = { ...current, url: next.toString(), headers };
  }
}
