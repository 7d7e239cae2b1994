import * as analyticsRoute from "@/app/api/v1/analytics/flags/route";
import * as documentRoute from "@/app/api/v1/environment-document/route";
import * as serverKeysRoute from "@/app/api/v1/environments/[envApiKey]/api-keys/route";
import * as stateRoute from "@/app/api/v1/environments/[envApiKey]/featurestates/[stateId]/route";
import * as flagsRoute from "@/app/api/v1/flags/route";
import * as identitiesRoute from "@/app/api/v1/identities/route";
import * as ofrepFlagRoute from "@/app/ofrep/v1/evaluate/flags/[...key]/route";
import * as ofrepBulkRoute from "@/app/ofrep/v1/evaluate/flags/route";
import { prisma } from "@/lib/db/client";
import { BASE_URL, call } from "@/tests/support/api";
import { expectStatus } from "@/tests/support/flags";

// The SDK endpoints called the way SDKs call them: a `fetch` that hands each request to the route
// handler Next.js would pick, so the real Flagsmith and OpenFeature clients run against them.

type Handler = (req: Request, ctx: { params: Promise<Record<string, unknown>> }) => Promise<Response>;

function routeFor(
  method: string,
  pathname: string,
): { handler: Handler; params: Record<string, unknown> } | null {
  const path = pathname.replace(/\/+$/, "");
  const pick = (module: Record<string, unknown>) => module[method] as Handler | undefined;
  let handler: Handler | undefined;
  let params: Record<string, unknown> = {};
  if (path === "/api/v1/flags") handler = pick(flagsRoute);
  else if (path === "/api/v1/identities") handler = pick(identitiesRoute);
  else if (path === "/api/v1/environment-document") handler = pick(documentRoute);
  else if (path === "/api/v1/analytics/flags") handler = pick(analyticsRoute);
  else if (path === "/ofrep/v1/evaluate/flags") handler = pick(ofrepBulkRoute);
  else if (path.startsWith("/ofrep/v1/evaluate/flags/")) {
    handler = pick(ofrepFlagRoute);
    params = {
      key: path
        .slice("/ofrep/v1/evaluate/flags/".length)
        .split("/")
        .map((segment) => decodeURIComponent(segment)),
    };
  }
  return handler ? { handler, params } : null;
}

/** A fetch implementation served by the route handlers in this process. */
export const routeFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const req = new Request(input instanceof URL ? input.toString() : input, init);
  const route = routeFor(req.method, new URL(req.url).pathname);
  if (!route) return new Response("not found", { status: 404 });
  return route.handler(req, { params: Promise.resolve(route.params) });
};

export const SDK_API_URL = `${BASE_URL}/api/v1/`;

export async function sdkRequest(
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: unknown; rawBody?: string } = {},
) {
  const headers = { ...options.headers };
  let body = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await routeFetch(`${BASE_URL}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON.
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

export async function createServerKey(
  apiKey: string,
  envApiKey: string,
): Promise<{ id: number; key: string }> {
  return expectStatus(
    await call(serverKeysRoute.POST, "POST", `/api/v1/environments/${envApiKey}/api-keys/`, {
      apiKey,
      params: { envApiKey },
      body: { name: "backend" },
    }),
    201,
  );
}

/** Changes a feature's state in an environment through the admin API (audited, as the UI does). */
export async function setFeatureState(
  apiKey: string,
  envApiKey: string,
  featureId: number,
  body: { enabled?: boolean; feature_state_value?: unknown },
) {
  const state = await prisma.featureState.findFirstOrThrow({
    where: { featureId, environment: { apiKey: envApiKey } },
  });
  return expectStatus(
    await call(stateRoute.PATCH, "PATCH", `/api/v1/environments/${envApiKey}/featurestates/${state.id}/`, {
      apiKey,
      params: { envApiKey, stateId: state.id },
      body,
    }),
    200,
  );
}
