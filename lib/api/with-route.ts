import "server-only";
import { z } from "zod";
import { ApiError, errorResponse } from "@/lib/api/errors";
import { DEFAULT_MAX_BODY_BYTES, parseJsonText, readBodyText } from "@/lib/api/read-body";
import { resolveActor, type Actor } from "@/lib/auth/actor";
import { ensureDatabase } from "@/lib/db/client";
import { env } from "@/lib/env";

// The one wrapper every route handler goes through: database ready → caller identified →
// CSRF check for cookie sessions → params, query and body parsed by zod → handler → errors mapped
// to the API envelope. Handlers stay thin: they call one function in lib/ and shape the result.

type Schema = z.ZodType;
type Infer<S> = S extends Schema ? z.infer<S> : undefined;

interface RouteOptions<P, Q, B> {
  /** "actor" (default): a session or an API key is required. "none": public endpoint. */
  auth?: "actor" | "none";
  params?: P;
  query?: Q;
  body?: B;
  maxBodyBytes?: number;
  /** Status for a successful JSON answer (e.g. 201 for creation). */
  status?: number;
}

interface AuthedContext<P, Q, B> {
  req: Request;
  url: URL;
  params: Infer<P>;
  query: Infer<Q>;
  body: Infer<B>;
  actor: Actor;
}

type PublicContext<P, Q, B> = Omit<AuthedContext<P, Q, B>, "actor">;

type NextRouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function jsonResponse(data: unknown, status = 200, headers?: HeadersInit): Response {
  return new Response(
    JSON.stringify(data, (_key, value) => (typeof value === "bigint" ? Number(value) : value)),
    {
      status,
      headers: { "content-type": "application/json", ...headers },
    },
  );
}

/** Cookie-authenticated writes must come from our own pages (same-origin check). */
function assertSameOrigin(req: Request) {
  const origin = req.headers.get("origin") ?? req.headers.get("referer");
  if (!origin) throw new ApiError("forbidden", "Cross-site request refused: missing Origin header");
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new ApiError("forbidden", "Cross-site request refused: malformed Origin header");
  }
  const allowed = new Set([new URL(env().FLAGPOST_PUBLIC_URL).host]);
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  if (host) allowed.add(host);
  if (!allowed.has(originHost)) throw new ApiError("forbidden", "Cross-site request refused");
}

async function parsePart<S>(schema: S | undefined, value: unknown, where: string): Promise<Infer<S>> {
  if (!schema) return undefined as Infer<S>;
  const result = await (schema as unknown as Schema).safeParseAsync(value);
  if (result.success) return result.data as Infer<S>;
  const issues = result.error.issues.map((issue) => ({
    field: [where, ...issue.path].join("."),
    issue: issue.message,
  }));
  const status = where === "body" ? "unprocessable_entity" : where === "params" ? "not_found" : "bad_request";
  const message =
    where === "params"
      ? "Not found"
      : `Invalid ${where}: ${issues.map((i) => `${i.field}: ${i.issue}`).join("; ")}`;
  throw new ApiError(status, message, issues);
}

export function withRoute<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
>(
  options: RouteOptions<P, Q, B> & { auth: "none" },
  handler: (ctx: PublicContext<P, Q, B>) => Promise<unknown>,
): (req: Request, ctx: NextRouteContext) => Promise<Response>;
export function withRoute<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
>(
  options: RouteOptions<P, Q, B> & { auth?: "actor" },
  handler: (ctx: AuthedContext<P, Q, B>) => Promise<unknown>,
): (req: Request, ctx: NextRouteContext) => Promise<Response>;
export function withRoute<
  P extends Schema | undefined,
  Q extends Schema | undefined,
  B extends Schema | undefined,
>(options: RouteOptions<P, Q, B>, handler: (ctx: AuthedContext<P, Q, B>) => Promise<unknown>) {
  return async (req: Request, routeContext: NextRouteContext): Promise<Response> => {
    // Kept for the error answer: a duplicate is named with the value that was sent.
    let sentBody: unknown;
    try {
      await ensureDatabase();
      const url = new URL(req.url);
      // Who is asking comes first: a stranger learns nothing from which paths parse (401, not 404).
      const actor = options.auth === "none" ? undefined : await resolveActor(req.headers);
      if (actor?.viaCookie && MUTATING.has(req.method)) assertSameOrigin(req);
      const params = await parsePart(options.params, await routeContext?.params, "params");
      const query = await parsePart(options.query, Object.fromEntries(url.searchParams), "query");
      let body: Infer<B> = undefined as Infer<B>;
      if (options.body) {
        const text = await readBodyText(req, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
        body = await parsePart(options.body, parseJsonText(text), "body");
        sentBody = body;
      }
      const result = await handler({ req, url, params, query, body, actor: actor as Actor });
      if (result instanceof Response) return result;
      if (result === undefined) return new Response(null, { status: 204 });
      return jsonResponse(result, options.status ?? 200);
    } catch (error) {
      return errorResponse(error, sentBody);
    }
  };
}

/** Integer id from a path segment; anything else is a 404. */
export const idParam = z.coerce.number().int().positive().max(2_147_483_647);

/** An environment's api_key in a path (environments are addressed by it); anything else is a 404. */
export const environmentKeyParam = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/);
