// Request/response plumbing shared by the API and control routes: errors, parameter parsing and
// Grape-like coercion (`{"error":"<param> is missing"}` / `... is invalid` / `... does not have a valid value`).
import type { IncomingMessage, ServerResponse } from "node:http";

export type Params = Record<string, unknown>;

export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Send `body` as-is with this content type instead of JSON. */
  rawContentType?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === "string" ? body : JSON.stringify(body));
  }
}

export const errors = {
  /** Route does not exist (also a path that was not URL-encoded). */
  route: () => new ApiError(404, { error: "404 Not Found" }),
  projectNotFound: () => new ApiError(404, { message: "404 Project Not Found" }),
  notFound: (what?: string) =>
    new ApiError(404, { message: what ? `404 ${what} Not Found` : "404 Not found" }),
  forbidden: (reason?: string) =>
    new ApiError(403, { message: reason ? `403 Forbidden - ${reason}` : "403 Forbidden" }),
  unauthorized: () => new ApiError(401, { message: "401 Unauthorized" }),
  missing: (param: string) => new ApiError(400, { error: `${param} is missing` }),
  invalid: (param: string) => new ApiError(400, { error: `${param} is invalid` }),
  notValidValue: (param: string) => new ApiError(400, { error: `${param} does not have a valid value` }),
  badRequest: (message: unknown) => new ApiError(400, { message }),
  methodNotAllowed: () => new ApiError(405, { message: "405 Method Not Allowed" }),
};

/** Parses a query string or form body into params, understanding `a[]=1&a[]=2` and `not[labels]=x`. */
export function parseFormParams(search: string): Params {
  const out: Params = {};
  const sp = new URLSearchParams(search);
  for (const [rawKey, value] of sp) {
    const arrayMatch = /^(.+)\[\]$/.exec(rawKey);
    if (arrayMatch) {
      const key = arrayMatch[1] as string;
      const prev = out[key];
      out[key] = Array.isArray(prev) ? [...prev, value] : [value];
      continue;
    }
    const nestedMatch = /^([^[\]]+)\[([^[\]]+)\]$/.exec(rawKey);
    if (nestedMatch) {
      const key = nestedMatch[1] as string;
      const sub = nestedMatch[2] as string;
      const prev = out[key];
      const obj = prev && typeof prev === "object" && !Array.isArray(prev) ? (prev as Params) : {};
      obj[sub] = value;
      out[key] = obj;
      continue;
    }
    out[rawKey] = value;
  }
  return out;
}

/** Query values as logged: repeated keys become arrays. */
export function queryRecord(search: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(search)) {
    const prev = out[k];
    if (prev === undefined) out[k] = v;
    else out[k] = Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

export async function readBody(req: IncomingMessage, limit = 25 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw new ApiError(413, { message: "413 Request Entity Too Large" });
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Body params from JSON or form encoding. */
export function parseBodyParams(contentType: string | undefined, body: Buffer): Params {
  if (body.length === 0) return {};
  const ct = (contentType ?? "").toLowerCase();
  const text = body.toString("utf8");
  if (ct.includes("application/json") || (!ct && /^\s*[{[]/.test(text))) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ApiError(400, { message: "400 Bad request - Invalid JSON" });
    }
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Params) : {};
  }
  if (ct.includes("application/x-www-form-urlencoded") || !ct) return parseFormParams(text);
  return {};
}

export function sendResponse(res: ServerResponse, r: ApiResponse, head = false): void {
  if (res.writableEnded || res.destroyed) return;
  const headers: Record<string, string> = { ...(r.headers ?? {}) };
  let payload: string | undefined;
  if (r.rawContentType !== undefined) {
    headers["Content-Type"] = r.rawContentType;
    payload = typeof r.body === "string" ? r.body : "";
  } else if (r.status === 204) {
    payload = undefined;
  } else {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(r.body ?? null);
  }
  if (payload !== undefined) headers["Content-Length"] = String(Buffer.byteLength(payload));
  res.writeHead(r.status, headers);
  res.end(head ? undefined : payload);
}

// ---------------------------------------------------------------- coercion

function scalar(params: Params, key: string): unknown {
  const v = params[key];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

export function has(params: Params, key: string): boolean {
  return params[key] !== undefined && params[key] !== null;
}

export function str(params: Params, key: string): string | undefined {
  const v = scalar(params, key);
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  throw errors.invalid(key);
}

export function requiredStr(params: Params, key: string): string {
  const v = str(params, key);
  if (v === undefined) throw errors.missing(key);
  return v;
}

export function int(params: Params, key: string): number | undefined {
  const v = scalar(params, key);
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "string" && /^-?\d+$/.test(v.trim())) return Number.parseInt(v, 10);
  throw errors.invalid(key);
}

export function bool(params: Params, key: string): boolean | undefined {
  const v = scalar(params, key);
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "boolean") return v;
  const s = String(v).toLowerCase();
  if (["true", "1", "t", "yes", "y"].includes(s)) return true;
  if (["false", "0", "f", "no", "n"].includes(s)) return false;
  throw errors.invalid(key);
}

export function oneOf<T extends string>(params: Params, key: string, allowed: readonly T[]): T | undefined {
  const v = str(params, key);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw errors.notValidValue(key);
  return v as T;
}

/** A list given as an array (`a[]=x`, JSON array) or a comma-separated string. */
export function strList(params: Params, key: string): string[] | undefined {
  const v = params[key];
  if (v === undefined || v === null) return undefined;
  const items = Array.isArray(v) ? v.map((x) => String(x)) : String(v).split(",");
  return items.map((s) => s.trim()).filter((s) => s.length > 0);
}

export function intList(params: Params, key: string): number[] | undefined {
  const list = strList(params, key);
  if (list === undefined) return undefined;
  return list.map((s) => {
    if (!/^-?\d+$/.test(s)) throw errors.invalid(key);
    return Number.parseInt(s, 10);
  });
}

export function nested(params: Params, key: string): Params {
  const v = params[key];
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Params) : {};
}
