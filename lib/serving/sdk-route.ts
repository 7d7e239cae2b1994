import "server-only";
import { ApiError } from "@/lib/api/errors";
import { readBodyText } from "@/lib/api/read-body";
import { ensureDatabase } from "@/lib/db/client";
import type { Database } from "@/lib/db/open-database";
import { logger } from "@/lib/logger";
import { takeSdkToken } from "@/lib/serving/rate-limit";
import type { EnvironmentSnapshot } from "@/lib/serving/snapshot";
import { snapshotStore } from "@/lib/serving/snapshot-store";

// The route wrapper of the SDK endpoints (the Flagsmith SDK API and OFREP). Like withRoute it
// keeps handlers thin, but each protocol has its own error shape and its own auth header, the
// endpoints are public to browsers (CORS), and nothing on the way may touch the database once the
// environment's snapshot is warm.

/** An answer in the protocol's own shape; thrown anywhere below a handler. */
export class SdkError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === "object" && body ? JSON.stringify(body) : String(body));
    this.name = "SdkError";
  }
}

export interface SdkProtocol {
  /** The protocol's error answer for a status and a message. */
  error(status: number, message: string, code?: string): SdkError;
}

const CORS_HEADERS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, OPTIONS",
  "access-control-allow-headers":
    "Content-Type, X-Environment-Key, Authorization, X-API-Key, If-None-Match, If-Modified-Since, Flagsmith-SDK-User-Agent, X-Flagsmith-Application-Name, X-Flagsmith-Application-Version",
  "access-control-expose-headers": "ETag, Last-Modified, Retry-After, Server-Timing",
  "access-control-max-age": "86400",
};

export function jsonAnswer(body: string, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { "content-type": "application/json", ...headers } });
}

/** The preflight answer: any origin may read flags with a client-side key, as with Flagsmith. */
export function corsPreflight(): Response {
  return new Response(null, { status: 204, headers: CORS_HEADERS });
}

export interface SdkContext {
  req: Request;
  url: URL;
  db: Database;
  params: Record<string, string | string[] | undefined>;
}

type NextRouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

export function withSdkRoute(protocol: SdkProtocol, handler: (ctx: SdkContext) => Promise<Response>) {
  return async (req: Request, routeContext: NextRouteContext): Promise<Response> => {
    const started = performance.now();
    let response: Response;
    try {
      const db = await ensureDatabase();
      const params = (await routeContext?.params) ?? {};
      response = await handler({ req, url: new URL(req.url), db, params });
    } catch (error) {
      response = errorAnswer(protocol, error);
    }
    for (const [name, value] of Object.entries(CORS_HEADERS)) response.headers.set(name, value);
    // The handler's own time (routing and the network excluded), for clients and `npm run bench:flags`.
    response.headers.set("server-timing", `app;dur=${(performance.now() - started).toFixed(2)}`);
    return response;
  };
}

function errorAnswer(protocol: SdkProtocol, error: unknown): Response {
  let sdkError: SdkError;
  if (error instanceof SdkError) sdkError = error;
  else if (error instanceof ApiError) sdkError = protocol.error(error.status, error.message);
  else {
    logger.error("Unhandled error in an SDK request", { error });
    sdkError = protocol.error(500, "Something went wrong on our side. The error was logged.");
  }
  if (sdkError.body === null)
    return new Response(null, { status: sdkError.status, headers: sdkError.headers });
  return jsonAnswer(JSON.stringify(sdkError.body), sdkError.status, sdkError.headers);
}

/**
 * The environment a key reads, checked against the per-key rate limit, and its snapshot.
 * Unknown or revoked key → 401; a client-side key where a server-side key is needed → 403.
 */
export async function environmentForKey(
  protocol: SdkProtocol,
  db: Database,
  key: string | null,
  options: { serverSide?: boolean } = {},
): Promise<EnvironmentSnapshot> {
  const store = snapshotStore(db);
  const ref = key ? await store.resolveKey(key.trim()) : null;
  if (!ref) throw protocol.error(401, "Invalid or missing environment key");
  if (options.serverSide && !ref.serverSide)
    throw protocol.error(403, "This endpoint needs a server-side environment key (ser.…)");
  const wait = takeSdkToken(ref.serverSide ? `server:${ref.keyId}` : `client:${ref.id}`);
  if (wait !== null) {
    const limited = protocol.error(429, `Rate limit exceeded; retry in ${wait} s`);
    throw new SdkError(limited.status, limited.body, { "retry-after": String(wait) });
  }
  if (ref.keyId !== undefined) recordServerKeyUse(db, ref.keyId);
  return store.snapshot(ref);
}

const lastRecordedUse = new Map<number, number>();

/** Server-side keys show when they were last used: written at most once a minute, never awaited. */
function recordServerKeyUse(db: Database, keyId: number) {
  const now = Date.now();
  if (now - (lastRecordedUse.get(keyId) ?? 0) < 60_000) return;
  lastRecordedUse.set(keyId, now);
  db.prisma.serverKey
    .update({ where: { id: keyId }, data: { lastUsedAt: new Date(now) } })
    .catch(() => undefined);
}

/** The request's JSON body: size-capped, JSON content type required, malformed JSON refused. */
export async function readJsonBody(protocol: SdkProtocol, req: Request, maxBytes: number): Promise<unknown> {
  const contentType = req.headers.get("content-type") ?? "";
  const text = await readBodyText(req, maxBytes).catch((error: unknown) => {
    if (error instanceof ApiError && error.code === "payload_too_large")
      throw protocol.error(413, error.message, "PAYLOAD_TOO_LARGE");
    throw error;
  });
  if (text.trim() === "") return {};
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(contentType.trim()))
    throw protocol.error(415, `Unsupported media type "${contentType}": send application/json`, "MEDIA_TYPE");
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw protocol.error(400, `Malformed JSON body: ${(error as Error).message}`, "PARSE_ERROR");
  }
}
