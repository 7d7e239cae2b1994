// Delivers webhooks the way GitLab's WebHookService does: POST JSON with GitLab's headers, 10 s
// timeout, redirects are never followed (any 2xx/3xx counts as delivered), failures are logged and not
// retried. Recursion detection: a request carrying `X-Gitlab-Event-UUID` continues that chain, and a
// hook that already fired in the chain is blocked.
import { randomUUID } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { SimStore } from "./store";
import type { DeliveryRecord, Hook, PayloadStyle, SimEvent } from "./types";
import { nowIso, versionAtLeast } from "./util";
import { buildEvent } from "./webhook-payloads/build-event";
import type { BuiltEvent } from "./webhook-payloads/common";

export type DeliverMode = "sync" | "async";

export interface DispatchOptions {
  /** `sync` (default) waits for every delivery; `async` returns at once (use `settle()` to wait). */
  deliver?: DeliverMode;
  payloadStyle?: PayloadStyle;
  /** Incoming `X-Gitlab-Event-UUID` of the API request that caused the events. */
  eventUuid?: string | null;
}

const MAX_STORED_BODY = 8 * 1024;

interface PreparedDelivery {
  hook: Hook;
  built: Pick<BuiltEvent, "header" | "objectKind" | "action" | "projectId">;
  body: string;
  payload: unknown;
  style: PayloadStyle;
  idempotencyKey: string;
  eventUuid: string;
  resentFrom: number | null;
  blocked: boolean;
}

/** Builds payloads now (so later changes do not leak into them) and sends them to matching hooks. */
export function dispatchEvents(
  store: SimStore,
  events: SimEvent[],
  opts: DispatchOptions = {},
): Promise<DeliveryRecord[]> {
  const style = opts.payloadStyle ?? store.payloadStyle;
  const prepared: PreparedDelivery[] = [];
  // One originating request: one recursion-detection UUID per hook (or the caller's UUID).
  const uuidPerHook = new Map<number, string>();
  const blockedPerHook = new Map<number, boolean>();
  for (const event of events) {
    const built = buildEvent(store, event, style);
    if (!built) continue;
    for (const hook of store.projectHooks(built.projectId)) {
      if (!built.accepts(hook)) continue;
      let eventUuid: string;
      let blocked = false;
      if (opts.eventUuid) {
        eventUuid = opts.eventUuid;
        const chain = store.hookChains.get(eventUuid) ?? new Set<number>();
        if (!blockedPerHook.has(hook.id)) blockedPerHook.set(hook.id, chain.has(hook.id));
        blocked = blockedPerHook.get(hook.id) ?? false;
        chain.add(hook.id);
        store.hookChains.set(eventUuid, chain);
      } else {
        eventUuid = uuidPerHook.get(hook.id) ?? randomUUID();
        uuidPerHook.set(hook.id, eventUuid);
        store.hookChains.set(eventUuid, new Set([hook.id]));
      }
      prepared.push({
        hook,
        built,
        body: JSON.stringify(built.payload),
        payload: built.payload,
        style,
        idempotencyKey: randomUUID(),
        eventUuid,
        resentFrom: null,
        blocked,
      });
    }
  }
  const run = Promise.all(prepared.map((p) => send(store, p)));
  store.track(run);
  if (opts.deliver === "async") return Promise.resolve([]);
  return run;
}

/** Manual "Resend request": same body and Idempotency-Key, new webhook UUID. */
export async function resendDelivery(store: SimStore, deliveryId: number): Promise<DeliveryRecord> {
  const original = store.deliveries.find((d) => d.id === deliveryId);
  if (!original) throw new Error(`unknown delivery ${deliveryId}`);
  const hook = store.hooks.get(original.hookId);
  if (!hook) throw new Error(`hook ${original.hookId} no longer exists`);
  return store.track(
    send(store, {
      hook,
      built: {
        header: original.event,
        objectKind: original.objectKind,
        action: original.action,
        projectId: original.projectId,
      },
      body: original.request.body,
      payload: original.request.payload,
      style: original.payloadStyle,
      idempotencyKey: original.idempotencyKey,
      eventUuid: randomUUID(),
      resentFrom: original.id,
      blocked: false,
    }),
  );
}

function buildHeaders(store: SimStore, p: PreparedDelivery, webhookUuid: string): Record<string, string> {
  const v = store.version;
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "User-Agent": `GitLab/${v}`,
    "X-Gitlab-Event": p.built.header,
  };
  if (p.hook.token) headers["X-Gitlab-Token"] = p.hook.token.replace(/[\r\n]/g, "");
  if (versionAtLeast(v, "15.5.0")) headers["X-Gitlab-Instance"] = store.origin;
  if (versionAtLeast(v, "16.2.0")) headers["X-Gitlab-Webhook-UUID"] = webhookUuid;
  if (versionAtLeast(v, "14.8.0")) headers["X-Gitlab-Event-UUID"] = p.eventUuid;
  if (versionAtLeast(v, "17.4.0")) headers["Idempotency-Key"] = p.idempotencyKey;
  return headers;
}

async function send(store: SimStore, p: PreparedDelivery): Promise<DeliveryRecord> {
  const webhookUuid = randomUUID();
  const headers = buildHeaders(store, p, webhookUuid);
  const record: DeliveryRecord = {
    id: store.nextId("delivery"),
    hookId: p.hook.id,
    projectId: p.built.projectId,
    url: p.hook.url,
    event: p.built.header,
    objectKind: p.built.objectKind,
    action: p.built.action,
    payloadStyle: p.style,
    idempotencyKey: p.idempotencyKey,
    webhookUuid,
    eventUuid: p.eventUuid,
    request: { headers, body: p.body, payload: p.payload },
    response: null,
    error: null,
    success: false,
    blocked: p.blocked,
    resentFrom: p.resentFrom,
    startedAt: nowIso(),
    durationMs: 0,
  };
  store.deliveries.push(record);
  if (p.blocked) {
    record.error = "Recursive webhook blocked";
    return record;
  }
  const started = Date.now();
  try {
    const response = await post(p.hook, headers, p.body, store.webhookTimeoutMs);
    record.response = response;
    record.success = response.status >= 200 && response.status < 400;
  } catch (err) {
    record.error = err instanceof Error ? err.message : String(err);
  }
  record.durationMs = Date.now() - started;
  return record;
}

function post(
  hook: Hook,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(hook.url);
    } catch {
      reject(new Error("Invalid URL"));
      return;
    }
    const allHeaders: Record<string, string> = {
      ...headers,
      "Content-Length": String(Buffer.byteLength(body)),
    };
    if (url.username || url.password) {
      const creds = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
      allHeaders.Authorization = `Basic ${Buffer.from(creds).toString("base64")}`;
    }
    const lib = url.protocol === "https:" ? https : http;
    const req = lib.request(
      {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ""),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: "POST",
        headers: allHeaders,
        agent: false,
        ...(url.protocol === "https:" ? { rejectUnauthorized: hook.enableSslVerification } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          if (size < MAX_STORED_BODY) chunks.push(c);
          size += c.length;
        });
        res.on("end", () => {
          clearTimeout(timer);
          const resHeaders: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers))
            if (v !== undefined) resHeaders[k] = Array.isArray(v) ? v.join(", ") : v;
          resolve({
            status: res.statusCode ?? 0,
            headers: resHeaders,
            body: Buffer.concat(chunks).toString("utf8").slice(0, MAX_STORED_BODY),
          });
        });
        res.on("error", (e) => {
          clearTimeout(timer);
          reject(e);
        });
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new Error(`execution expired (timeout after ${timeoutMs} ms)`));
    }, timeoutMs);
    req.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.end(body);
  });
}
