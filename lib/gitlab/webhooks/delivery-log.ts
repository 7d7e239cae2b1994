import "server-only";
import { after } from "next/server";
import type { Actor } from "@/lib/auth/actor";
import { requireProjectRole } from "@/lib/auth/permissions";
import { currentDatabase, prisma } from "@/lib/db/client";
import type { Db } from "@/lib/db/types";
import type { DeliveryResult, WebhookDelivery } from "@/lib/generated/prisma/client";
import { requireLiveIntegration } from "@/lib/gitlab/integration/integrations";
import { cleanText } from "@/lib/gitlab/webhooks/normalise-payload";
import { logger } from "@/lib/logger";

// The log behind the deliveries panel: one row per delivery GitLab sent to a project with a live
// integration. Rows never hold headers (the token travels in one) and keep at most 64 KB of body,
// and only for deliveries we could not read, where the body is what explains it. Requests with a
// wrong or missing token (anyone can send those) only add to one counter per integration and hour,
// so they can neither push real deliveries off the panel nor out of the log when it is pruned.
// Old rows are pruned after the response, now and then, not on every request.

const MAX_STORED_BODY_BYTES = 64 * 1024;
const PANEL_SIZE = 100;
const KEEP_DAYS = 30;
const KEEP_PER_PROJECT = 1000;
const PRUNE_EVERY = 50;
const REJECTION_WINDOW_MS = 3600_000;

/** What an applied delivery changed (stored in `changes`): the item's state, and each feature's GitLab tags. */
// A type, not an interface: Prisma's JSON input takes object types with an implicit index signature.
export type DeliveryChanges = {
  state: string;
  features: { id: number; name: string; added: string[]; removed: string[] }[];
  /** Stored since deliveries are applied after the answer (not shown in the panel). */
  updated_links?: number;
  fired_rules?: number;
};

function readChanges(value: unknown): DeliveryChanges | null {
  if (!value || typeof value !== "object") return null;
  const changes = value as Partial<DeliveryChanges>;
  if (typeof changes.state !== "string" || !Array.isArray(changes.features)) return null;
  return { state: changes.state, features: changes.features };
}

export interface DeliveryRecord {
  projectId: number;
  integrationId: number;
  receivedAt: Date;
  event: string | null;
  action?: string | null;
  objectKind?: string | null;
  itemRef?: string | null;
  idempotencyKey?: string | null;
  dedupeKey?: string | null;
  result: DeliveryResult;
  reason?: string | null;
  httpStatus: number;
  body?: string | null;
  durationMs: number;
}

/** The first `maxBytes` of `text` in UTF-8, cut on a character boundary. */
export function truncateUtf8(text: string, maxBytes: number = MAX_STORED_BODY_BYTES): string {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= maxBytes) return text;
  // Drop a trailing partial character: TextDecoder would turn it into U+FFFD.
  let end = maxBytes;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end).toString("utf8");
}

/** Row values as the database takes them: short, NUL-free text. */
export function deliveryRow(record: DeliveryRecord) {
  const short = (value: string | null | undefined, max: number) =>
    value ? cleanText(value.slice(0, max)) : null;
  return {
    projectId: record.projectId,
    integrationId: record.integrationId,
    receivedAt: record.receivedAt,
    event: short(record.event, 100),
    action: short(record.action, 64),
    objectKind: short(record.objectKind, 64),
    itemRef: short(record.itemRef, 300),
    idempotencyKey: short(record.idempotencyKey, 200),
    dedupeKey: record.dedupeKey ?? null,
    result: record.result,
    reason: short(record.reason, 1000),
    httpStatus: record.httpStatus,
    body: record.body ? cleanText(truncateUtf8(record.body)) : null,
    durationMs: record.durationMs,
  };
}

export async function recordDelivery(db: Db, record: DeliveryRecord): Promise<void> {
  await db.webhookDelivery.create({ data: deliveryRow(record) });
}

/** The hour a rejected request is counted in. */
function rejectionWindowStart(receivedAt: Date): Date {
  return new Date(Math.floor(receivedAt.getTime() / REJECTION_WINDOW_MS) * REJECTION_WINDOW_MS);
}

/** Adds a wrong-token request to its integration's counter for the hour, atomically (one upsert). */
export async function countRejectedRequest(
  db: Db,
  request: { projectId: number; integrationId: number; receivedAt: Date; reason: string },
): Promise<void> {
  const reason = cleanText(request.reason.slice(0, 300));
  await db.$executeRaw`
    INSERT INTO webhook_rejections (project_id, integration_id, window_start, count, last_reason, last_at)
    VALUES (${request.projectId}, ${request.integrationId}, ${rejectionWindowStart(request.receivedAt)}::timestamptz, 1, ${reason}, ${request.receivedAt}::timestamptz)
    ON CONFLICT (integration_id, window_start) DO UPDATE SET
      count = webhook_rejections.count + 1,
      last_reason = EXCLUDED.last_reason,
      last_at = GREATEST(webhook_rejections.last_at, EXCLUDED.last_at)`;
}

/**
 * Deletes a project's rows (and rejection counters) older than 30 days, and rows beyond the newest
 * 1,000; the number of rows deleted. One statement (on the embedded database, pruning as four
 * Prisma queries held the only connection for about 6 ms every 50th delivery).
 */
export async function pruneWebhookDeliveries(projectId: number, now: Date = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - KEEP_DAYS * 24 * 3600_000);
  // Pending rows are deliveries accepted and not applied yet: pruning them would lose them.
  const [row] = await currentDatabase().sql.query<{ pruned: number }>(
    `WITH old_rejections AS (
       DELETE FROM webhook_rejections WHERE project_id = $1 AND window_start < $2::timestamptz
     ), boundary AS (
       SELECT received_at, id FROM webhook_deliveries
       WHERE project_id = $1 AND result <> 'PENDING'
       ORDER BY received_at DESC, id DESC OFFSET $3::integer - 1 LIMIT 1
     ), pruned AS (
       DELETE FROM webhook_deliveries d
       WHERE d.project_id = $1 AND d.result <> 'PENDING'
         AND (d.received_at < $2::timestamptz OR (d.received_at, d.id) < (SELECT received_at, id FROM boundary))
       RETURNING 1
     )
     SELECT count(*)::integer AS pruned FROM pruned`,
    [projectId, cutoff.toISOString(), KEEP_PER_PROJECT],
  );
  return row!.pruned;
}

const pruneCounters = new Map<number, number>();

/** Every 50th delivery of a project prunes its log once the response has been sent. */
export function pruneDeliveriesNowAndThen(projectId: number): void {
  const seen = (pruneCounters.get(projectId) ?? 0) + 1;
  pruneCounters.set(projectId, seen % PRUNE_EVERY);
  if (seen < PRUNE_EVERY) return;
  try {
    after(() =>
      pruneWebhookDeliveries(projectId).catch((error: unknown) =>
        logger.warn("Could not prune the webhook delivery log", { projectId, error }),
      ),
    );
  } catch {
    // Outside a Next.js request (tests, scripts): the next delivery served by the app prunes.
  }
}

function serializeDelivery(row: Omit<WebhookDelivery, "body" | "dedupeKey" | "idempotencyKey">) {
  return {
    id: Number(row.id),
    received_at: row.receivedAt.toISOString(),
    event: row.event,
    action: row.action,
    object_kind: row.objectKind,
    item_ref: row.itemRef,
    result: row.result.toLowerCase() as Lowercase<DeliveryResult>,
    reason: row.reason,
    http_status: row.httpStatus,
    duration_ms: row.durationMs,
    /** Applied deliveries: what they changed (null for older rows and other results). */
    changes: readChanges(row.changes),
  };
}

interface RejectedWindow {
  window_start: string;
  count: number;
  last_reason: string | null;
}

export interface DeliveriesView {
  results: ReturnType<typeof serializeDelivery>[];
  /** Requests refused for their token, per hour (newest first), over the last 24 hours. */
  rejected: RejectedWindow[];
  rejected_last_24h: number;
  last_success_at: string | null;
  /** Accepted deliveries not applied yet (the drainer applies them in batches). */
  pending: number;
}

/** The deliveries panel: the latest 100 deliveries, rejected tokens in 24 h, the last 2xx answer. */
export async function listWebhookDeliveries(
  actor: Actor,
  projectId: number,
  integrationId: number,
  now: Date = new Date(),
): Promise<DeliveriesView> {
  await requireProjectRole(actor, projectId, "ADMIN");
  await requireLiveIntegration(prisma, projectId, integrationId);
  const where = { projectId, integrationId };
  const since = new Date(now.getTime() - 24 * 3600_000);
  const [rows, rejectedRows, windows, lastSuccess, pending] = await Promise.all([
    // Refused requests are counted per hour (below), never listed one by one; older REJECTED rows too.
    prisma.webhookDelivery.findMany({
      where: { ...where, result: { not: "REJECTED" } },
      orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
      take: PANEL_SIZE,
      omit: { body: true, dedupeKey: true, idempotencyKey: true },
    }),
    // REJECTED rows were written before rejections were counted; they age out with the log.
    prisma.webhookDelivery.count({ where: { ...where, result: "REJECTED", receivedAt: { gte: since } } }),
    prisma.webhookRejection.findMany({
      where: { integrationId, projectId, lastAt: { gte: since } },
      orderBy: { windowStart: "desc" },
      select: { windowStart: true, count: true, lastReason: true },
    }),
    prisma.webhookDelivery.findFirst({
      where: { ...where, httpStatus: { gte: 200, lt: 300 } },
      orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
      select: { receivedAt: true },
    }),
    prisma.webhookDelivery.count({ where: { projectId, result: "PENDING" } }),
  ]);
  return {
    results: rows.map(serializeDelivery),
    rejected: windows.map((window) => ({
      window_start: window.windowStart.toISOString(),
      count: window.count,
      last_reason: window.lastReason,
    })),
    rejected_last_24h: rejectedRows + windows.reduce((sum, window) => sum + window.count, 0),
    last_success_at: lastSuccess?.receivedAt.toISOString() ?? null,
    pending,
  };
}
