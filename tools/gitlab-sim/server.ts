// GitLab simulator: an HTTP server speaking GitLab's REST API v4 (under `{basePath}/api/v4`), a control
// API (under `{basePath}/_sim`) and delivering webhooks like GitLab. See README.md beside this file.
import { randomUUID } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { authenticate, extractToken, lookupToken } from "./auth";
import { SimulatorControl } from "./control";
import { buildControlRouter, controlError } from "./control-routes";
import { faultResponse, latencyFor, takeFault } from "./faults";
import {
  type ApiResponse,
  ApiError,
  errors,
  parseBodyParams,
  parseFormParams,
  queryRecord,
  readBody,
  sendResponse,
} from "./http";
import { type RouteContext, Router } from "./router";
import { discussionRoutes } from "./routes/discussions";
import { hookRoutes } from "./routes/hooks";
import { issueRoutes } from "./routes/issues";
import { labelRoutes } from "./routes/labels";
import { memberRoutes } from "./routes/members";
import { mergeRequestRoutes } from "./routes/merge-requests";
import { noteRoutes } from "./routes/notes";
import { projectRoutes } from "./routes/projects";
import { userRoutes } from "./routes/user";
import { SimStore } from "./store";
import { sleep, versionAtLeast } from "./util";
import { renderWebPage } from "./web-pages";

export interface GitLabSimulatorOptions {
  /** Default 0 (an ephemeral port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Relative URL root of a self-managed instance, e.g. `/gitlab`. Every route lives under it. */
  basePath?: string;
  /** Load the demo data set (see seed.ts). */
  seed?: boolean;
}

export interface GitLabSimulator {
  /** Instance URL including the base path, e.g. `http://127.0.0.1:4010` or `http://127.0.0.1:4010/gitlab`. */
  url: string;
  port: number;
  sim: SimulatorControl;
  close(): Promise<void>;
}

function buildApiRouter(): Router {
  return new Router().add(
    ...userRoutes,
    ...projectRoutes,
    ...issueRoutes,
    ...mergeRequestRoutes,
    ...noteRoutes,
    ...discussionRoutes,
    ...labelRoutes,
    ...memberRoutes,
    ...hookRoutes,
  );
}

function normaliseBasePath(basePath: string | undefined): string {
  if (!basePath) return "";
  const trimmed = basePath.replace(/^\/+|\/+$/g, "");
  return trimmed ? `/${trimmed}` : "";
}

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "::" || host === "") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}

export async function startGitLabSimulator(options: GitLabSimulatorOptions = {}): Promise<GitLabSimulator> {
  const host = options.host ?? "127.0.0.1";
  const basePath = normaliseBasePath(options.basePath);
  const store = new SimStore({ instanceUrl: `http://${urlHost(host)}${basePath}` });
  const sim = new SimulatorControl(store);
  const apiRouter = buildApiRouter();
  const controlRouter = buildControlRouter(sim);
  const closing = new AbortController();

  async function handleApi(
    req: IncomingMessage,
    res: ServerResponse,
    apiPath: string,
    rawQuery: string,
  ): Promise<void> {
    const started = Date.now();
    const method = (req.method ?? "GET").toUpperCase();
    const query = new URLSearchParams(rawQuery);
    const tokenValue = extractToken(req.headers, query);
    const token = lookupToken(store, tokenValue);
    let response: ApiResponse;
    let faultName: string | null = null;
    const logRequest = (status: number, fault: string | null) => {
      const user = token ? store.users.get(token.userId) : undefined;
      store.requestLog.push({
        id: store.nextId("request"),
        method,
        path: apiPath,
        query: queryRecord(rawQuery),
        status,
        time: new Date(started).toISOString(),
        durationMs: Date.now() - started,
        token: tokenValue,
        tokenName: token?.name ?? null,
        userId: user?.id ?? null,
        username: user?.username ?? null,
        fault,
      });
    };
    try {
      const body = await readBody(req);
      const delay = latencyFor(store, apiPath);
      if (delay > 0) await sleep(delay, closing.signal);
      const fault = takeFault(store, method, apiPath);
      if (fault?.drop) {
        // The connection dies before any answer, as when GitLab is unreachable.
        req.socket.destroy();
        logRequest(0, "drop");
        return;
      }
      if (fault) {
        faultName = `${fault.status}${fault.status === 429 ? `:${fault.body}` : ""}`;
        response = faultResponse(fault);
      } else {
        const path = apiPath.length > 1 ? apiPath.replace(/\/+$/, "") : apiPath;
        const match = apiRouter.match(
          method === "OPTIONS" ? "GET" : method,
          path,
          (r) => !r.minVersion || versionAtLeast(store.version, r.minVersion),
        );
        if (method === "OPTIONS" && match.kind !== "none") {
          const allow = match.kind === "match" ? ["GET", "HEAD", "OPTIONS"] : [...match.allow, "OPTIONS"];
          response = { status: 204, headers: { Allow: allow.join(", ") } };
        } else if (match.kind === "none") {
          throw errors.route();
        } else if (match.kind === "method-not-allowed") {
          throw new ApiError(
            405,
            { message: "405 Method Not Allowed" },
            { Allow: [...match.allow, "OPTIONS"].join(", ") },
          );
        } else {
          const actor = authenticate(store, tokenValue, match.route, method);
          const input = {
            ...parseFormParams(rawQuery),
            ...parseBodyParams(req.headers["content-type"], body),
          };
          const incomingUuid = req.headers["x-gitlab-event-uuid"];
          const ctx: RouteContext = {
            store,
            method,
            params: match.params,
            input,
            rawQuery,
            rawPath: apiPath,
            baseUrl: `${store.origin}${basePath}/api/v4${apiPath}`,
            actor,
            eventUuid: typeof incomingUuid === "string" && incomingUuid ? incomingUuid : null,
          };
          response = await match.route.handler(ctx);
        }
      }
    } catch (err) {
      if (err instanceof ApiError) {
        response = { status: err.status, body: err.body, headers: err.headers };
      } else {
        console.error("[gitlab-sim] internal error", err);
        response = { status: 500, body: { message: "500 Internal Server Error" } };
      }
    }
    response.headers = {
      "Cache-Control": "max-age=0, private, must-revalidate",
      "X-Request-Id": randomUUID().replace(/-/g, "").slice(0, 26).toUpperCase(),
      "X-Runtime": ((Date.now() - started) / 1000).toFixed(6),
      Vary: "Origin, Accept-Encoding",
      ...response.headers,
    };
    sendResponse(res, response, method === "HEAD");
    logRequest(response.status, faultName);
  }

  async function handleControl(
    req: IncomingMessage,
    res: ServerResponse,
    ctlPath: string,
    rawQuery: string,
  ): Promise<void> {
    const method = (req.method ?? "GET").toUpperCase();
    let response: ApiResponse;
    try {
      const body = await readBody(req);
      const match = controlRouter.match(method, ctlPath.length > 1 ? ctlPath.replace(/\/+$/, "") : ctlPath);
      if (match.kind === "none") throw new ApiError(404, { error: "404 Not Found" });
      if (match.kind === "method-not-allowed") throw new ApiError(405, { message: "405 Method Not Allowed" });
      const ctx: RouteContext = {
        store,
        method,
        params: match.params,
        input: {
          ...parseFormParams(rawQuery),
          ...parseBodyParams(req.headers["content-type"] ?? "application/json", body),
        },
        rawQuery,
        rawPath: ctlPath,
        baseUrl: `${store.origin}${basePath}/_sim${ctlPath}`,
        actor: null,
        eventUuid: null,
      };
      response = await match.route.handler(ctx);
    } catch (err) {
      response = controlError(err);
    }
    sendResponse(res, response);
  }

  const server = http.createServer((req, res) => {
    const rawUrl = req.url ?? "/";
    const q = rawUrl.indexOf("?");
    const rawPath = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
    const rawQuery = q >= 0 ? rawUrl.slice(q + 1) : "";
    const inBase = basePath === "" || rawPath === basePath || rawPath.startsWith(`${basePath}/`);
    const rel = inBase ? rawPath.slice(basePath.length) || "/" : null;
    let work: Promise<void>;
    if (rel === null) {
      sendResponse(res, { status: 404, body: { error: "404 Not Found" } });
      return;
    } else if (rel === "/api/v4" || rel.startsWith("/api/v4/")) {
      work = handleApi(req, res, rel.slice("/api/v4".length) || "/", rawQuery);
    } else if (rel === "/_sim" || rel.startsWith("/_sim/")) {
      work = handleControl(req, res, rel.slice("/_sim".length) || "/", rawQuery);
    } else if (rel === "/") {
      sendResponse(res, {
        status: 200,
        body: {
          name: "GitLab simulator",
          instance_url: store.instanceUrl,
          api: `${store.instanceUrl}/api/v4`,
          control: `${store.instanceUrl}/_sim`,
          version: store.version,
        },
      });
      return;
    } else {
      const page = req.method === "GET" ? renderWebPage(store, rel) : null;
      sendResponse(res, page ?? { status: 404, body: { error: "404 Not Found" } });
      return;
    }
    work.catch((err) => {
      console.error("[gitlab-sim] request failed", err);
      sendResponse(res, { status: 500, body: { message: "500 Internal Server Error" } });
    });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  store.instanceUrl = `http://${urlHost(host)}:${port}${basePath}`;
  if (options.seed) sim.seedDemo();

  return {
    url: store.instanceUrl,
    port,
    sim,
    close: () =>
      new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
