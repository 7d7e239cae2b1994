// Fault injection (rate limiting, server errors, dropped connections: an outage is a fault with
// `count: -1` until removed) and artificial latency for API requests.
import type { ApiResponse } from "./http";
import type { SimStore } from "./store";
import type { Fault, FaultSpec, LatencyRule } from "./types";

const STATUS_TEXT: Record<number, string> = {
  400: "Bad request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  408: "Request Timeout",
  409: "Conflict",
  422: "Unprocessable Entity",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

function compile(pattern: string | undefined): RegExp | null {
  if (pattern === undefined || pattern === "") return null;
  try {
    return new RegExp(pattern);
  } catch {
    throw new Error(`invalid pathPattern regex: ${pattern}`);
  }
}

export function addFault(store: SimStore, spec: FaultSpec): Fault {
  const drop = spec.drop ?? false;
  const status = drop ? 0 : (spec.status ?? Number.NaN);
  if (!drop && (!Number.isInteger(status) || status < 100 || status > 599))
    throw new Error("fault status must be an HTTP status");
  const count = spec.count === undefined ? 1 : spec.count < 0 ? Infinity : spec.count;
  const fault: Fault = {
    id: store.nextId("fault"),
    status,
    drop,
    hits: 0,
    remaining: count,
    probability: spec.probability ?? 1,
    pathPattern: compile(spec.pathPattern),
    pathPatternSource: spec.pathPattern ?? null,
    method: spec.method ? spec.method.toUpperCase() : null,
    retryAfter: spec.retryAfter ?? 1,
    body: spec.body ?? "rack-attack",
  };
  store.faults.push(fault);
  return fault;
}

/** Returns (and consumes one use of) the first fault matching this request, if it fires. */
export function takeFault(store: SimStore, method: string, rawPath: string): Fault | null {
  for (const fault of store.faults) {
    if (fault.remaining <= 0) continue;
    if (fault.method && fault.method !== method) continue;
    if (fault.pathPattern && !fault.pathPattern.test(rawPath)) continue;
    if (fault.probability < 1 && Math.random() >= fault.probability) continue;
    fault.remaining -= 1;
    fault.hits += 1;
    return fault;
  }
  return null;
}

export function faultResponse(fault: Fault): ApiResponse {
  if (fault.status === 429 && fault.body === "application") {
    return {
      status: 429,
      body: { message: { error: "This endpoint has been requested too many times. Try again later." } },
    };
  }
  if (fault.status === 429) {
    const nowSec = Math.floor(Date.now() / 1000);
    const reset = nowSec + fault.retryAfter;
    return {
      status: 429,
      rawContentType: "text/plain",
      body: "Retry later\n",
      headers: {
        "Retry-After": String(fault.retryAfter),
        "RateLimit-Name": "throttle_authenticated_api",
        "RateLimit-Limit": "2000",
        "RateLimit-Observed": "2001",
        "RateLimit-Remaining": "0",
        "RateLimit-Reset": String(reset),
        "RateLimit-ResetTime": new Date(reset * 1000).toUTCString(),
      },
    };
  }
  const text = STATUS_TEXT[fault.status] ?? "Error";
  return {
    status: fault.status,
    body: { message: `${fault.status} ${text}` },
    headers: fault.status === 503 ? { "Retry-After": String(fault.retryAfter) } : {},
  };
}

/** Removes one fault (an outage that ends) and leaves the others and the latency rules alone. */
export function removeFault(store: SimStore, id: number): void {
  const before = store.faults.length;
  store.faults = store.faults.filter((f) => f.id !== id);
  if (store.faults.length === before) throw new Error(`unknown fault ${id}`);
}

/** Faults as the control API shows them; `remaining: null` means until removed. */
export function describeFaults(store: SimStore) {
  return store.faults.map((f) => ({
    id: f.id,
    status: f.drop ? null : f.status,
    drop: f.drop,
    remaining: Number.isFinite(f.remaining) ? f.remaining : null,
    hits: f.hits,
    probability: f.probability,
    pathPattern: f.pathPatternSource,
    method: f.method,
  }));
}

export function setLatency(store: SimStore, ms: number, pathPattern?: string): void {
  const source = pathPattern ?? null;
  store.latency = store.latency.filter((r) => r.pathPatternSource !== source);
  if (ms > 0) {
    const rule: LatencyRule = { ms, pathPattern: compile(pathPattern), pathPatternSource: source };
    store.latency.push(rule);
  }
}

export function latencyFor(store: SimStore, rawPath: string): number {
  let ms = 0;
  for (const r of store.latency) if (!r.pathPattern || r.pathPattern.test(rawPath)) ms = Math.max(ms, r.ms);
  return ms;
}
