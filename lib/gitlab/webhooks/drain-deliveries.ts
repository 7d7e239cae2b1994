import "server-only";
import { BatchedStatement } from "@/lib/db/batched-statement";
import { currentDatabase, prisma } from "@/lib/db/client";
import { isDatabaseUnavailable, isRetryableConflict } from "@/lib/db/database-errors";
import type { Database } from "@/lib/db/open-database";
import { perDatabase } from "@/lib/db/per-database";
import {
  applyDeliveryStepByStep,
  applyReasons,
  WEBHOOK_ACTOR,
  type ReleaseRulesOption,
} from "@/lib/gitlab/webhooks/apply-delivery";
import { GITLAB_SYSTEM_TAGS } from "@/lib/gitlab/links/system-tags";
import { deliveryRow, type DeliveryRecord } from "@/lib/gitlab/webhooks/delivery-log";
import { cleanText, type WebhookItem } from "@/lib/gitlab/webhooks/normalise-payload";
import { logger } from "@/lib/logger";

// Accept now, apply right after. The receiver stores an issue or merge request delivery with ONE
// statement (a PENDING row holding the normalised item; its unique dedupe_key makes a redelivery a
// duplicate at once) and answers 200; the drainer then applies pending rows in batches, each batch
// one transaction. A crash after the 200 leaves the row PENDING: the next drain (kicked by the next
// delivery, at start-up and every 30 s) applies it. Several drainers (several instances on one
// PostgreSQL) never take the same row: batches run one at a time (an advisory lock) and claim
// their rows with FOR UPDATE SKIP LOCKED; a row leaves PENDING in the transaction that applies it,
// so it applies once.
// Within a batch the deliveries go in the order of their item's updated_at, so state transitions
// (and the release rules they fire) happen in GitLab's order; an older event reaching us after a
// newer one was applied is skipped as out of order, as before.
// A batch is ONE call of flagpost_drain_webhook_deliveries (a migration): claim, apply, audit rows
// and each delivery's `changes` in SQL, a few statements for all the rows of a wave (rows sharing
// a feature go in successive waves), so it holds a connection only while its SQL runs (through
// Prisma's interactive transaction, half a batch's time went to the statements around the
// applying). Rows the function leaves (release rules, a lost system tag) and the one-by-one retry
// after a failed batch take the step-by-step path: a Prisma transaction (applyOneStepByStep).

const BATCH_SIZE = 25;
// The embedded database has one connection: every accept waits while a batch's transaction runs,
// so its batches are kept short. 10 rather than 5 since a batch's statements cover all its rows:
// measured with npm run bench:webhook, 10–15% less server CPU per delivery, the same p99.
const EMBEDDED_BATCH_SIZE = 10;
const batchSize = () => (currentDatabase().kind === "postgres" ? BATCH_SIZE : EMBEDDED_BATCH_SIZE);
const SWEEP_EVERY_MS = 30_000;
// Pacing: answering GitLab comes first. A drain starts once no delivery arrived for QUIET_MS, or
// once the oldest delivery not yet handed to a drain waited MAX_LAG_MS. While deliveries keep
// arriving, each batch is followed by a rest BURST_REST_FACTOR times as long as the batch took, so
// a burst is accepted at nearly full speed (applying is the costlier half, and on the embedded
// database every accept waits while a batch's transaction holds the only connection); once the
// burst ends, the rest goes at full speed. A burst that lasts until the oldest delivery waiting in
// a batch was received BACKLOG_AGE_MS ago shortens the rests to BACKLOG_REST_FACTOR: applying then
// gets half the time, so the wait for it stops growing fast.
const QUIET_MS = 20;
const MAX_LAG_MS = 1_000;
const BURST_REST_FACTOR = 8;
const BACKLOG_REST_FACTOR = 1;
const BACKLOG_AGE_MS = 5_000;
// pg_advisory_xact_lock key of the drainers ("flagpost webhook drain").
const DRAIN_LOCK = 7_406_021_001;

interface StoredPayload {
  item: Omit<WebhookItem, "updatedAt" | "closedAt"> & { updatedAt: string | null; closedAt: string | null };
  release_rules: boolean;
  actor: string | null;
  /** What the drain function writes as the reason of an ignored delivery (absent in rows stored before it). */
  reasons: ReturnType<typeof applyReasons>;
}

export type PendingFacts = Omit<DeliveryRecord, "result" | "httpStatus" | "reason" | "body">;

/**
 * Stores an accepted delivery (one statement, shared with the deliveries accepted at the same
 * time), provided the project's integration row still has `fingerprint` (webhook-integration.ts):
 * "stale" when it does not. `id` is null when the dedupe key was taken already: a redelivery of an
 * event accepted before.
 */
export async function acceptDelivery(
  facts: PendingFacts,
  item: WebhookItem,
  rules: ReleaseRulesOption,
  fingerprint: string,
): Promise<Accepted> {
  const row = deliveryRow({ ...facts, result: "PENDING", httpStatus: 200 });
  const payload: StoredPayload = {
    item: {
      ...item,
      updatedAt: item.updatedAt?.toISOString() ?? null,
      closedAt: item.closedAt?.toISOString() ?? null,
    },
    release_rules: rules.enabled,
    actor: rules.actor.username,
    reasons: applyReasons(item),
  };
  const answer = await acceptBatcher(currentDatabase()).run({
    seq: ++acceptSequence,
    project_id: row.projectId,
    integration_id: row.integrationId,
    received_at: row.receivedAt.toISOString(),
    event: row.event,
    action: row.action,
    object_kind: row.objectKind,
    item_ref: row.itemRef,
    idempotency_key: row.idempotencyKey,
    dedupe_key: row.dedupeKey,
    duration_ms: row.durationMs,
    payload,
    fingerprint,
  });
  if (answer === null) throw new Error("The accepting statement did not answer for this delivery");
  if (typeof answer === "object" && "failed" in answer) throw answer.failed;
  return answer;
}

type Accepted = "stale" | { id: bigint | null };

/** One delivery to store, as the accepting statement reads it (jsonb_to_recordset). */
interface AcceptRow {
  seq: number;
  project_id: number;
  integration_id: number | null;
  received_at: string;
  event: string | null;
  action: string | null;
  object_kind: string | null;
  item_ref: string | null;
  idempotency_key: string | null;
  dedupe_key: string | null;
  duration_ms: number | null;
  payload: StoredPayload;
  fingerprint: string;
}

let acceptSequence = 0;

// Concurrent deliveries are stored with one statement (a batch starts at once and gathers those
// accepted while one is in flight): on the embedded database a statement's fixed cost was most of
// an acceptance, and on PostgreSQL a batch shares one commit. Each answers when its batch committed.
const acceptBatcher = perDatabase(
  "webhookAcceptBatcher",
  (db: Database) =>
    new BatchedStatement<AcceptRow, Accepted | { failed: unknown }>(
      (row) => String(row.seq),
      async (rows) => {
        try {
          return await storeAccepted(db, rows);
        } catch (error) {
          // A database that is away fails every row alike; trying them one by one would not help.
          if (rows.length === 1 || isDatabaseUnavailable(error))
            return new Map(rows.map((row) => [String(row.seq), { failed: error }]));
        }
        // One bad row must not fail the deliveries stored with it: each again on its own.
        const answers = new Map<string, Accepted | { failed: unknown }>();
        for (const row of rows) {
          const seq = String(row.seq);
          try {
            answers.set(seq, (await storeAccepted(db, [row])).get(seq)!);
          } catch (error) {
            answers.set(seq, { failed: error });
          }
        }
        return answers;
      },
      100,
    ),
);

/**
 * Inserts the rows whose project's integration row still has their fingerprint, all in one call of
 * flagpost_accept_webhook_deliveries (a migration; on the raw session, not through Prisma: this is
 * what every accepted delivery costs). A dedupe key already taken (by an earlier delivery, or an
 * earlier row of this batch) inserts nothing.
 */
async function storeAccepted(db: Database, rows: AcceptRow[]): Promise<Map<string, Accepted>> {
  const answers = await db.sql.query<{
    delivery_seq: string;
    integration_live: boolean;
    delivery_id: string | null;
  }>(
    `SELECT delivery_seq::text, integration_live, delivery_id::text
     FROM flagpost_accept_webhook_deliveries($1::jsonb)`,
    [storable(rows)],
  );
  return new Map(
    answers.map((answer) => [
      answer.delivery_seq,
      answer.integration_live
        ? { id: answer.delivery_id === null ? null : BigInt(answer.delivery_id) }
        : "stale",
    ]),
  );
}

/** JSON the database takes: jsonb refuses NUL and lone surrogates, which any string of the body may hold. */
const storable = (value: unknown) =>
  JSON.stringify(value, (_key, field: unknown) => (typeof field === "string" ? cleanText(field) : field));

interface PendingRow {
  id: bigint;
  project_id: number;
  received_at: Date;
  payload: StoredPayload;
}

function readItem(stored: StoredPayload["item"]): WebhookItem {
  return {
    ...stored,
    updatedAt: stored.updatedAt ? new Date(stored.updatedAt) : null,
    closedAt: stored.closedAt ? new Date(stored.closedAt) : null,
  };
}

/** The GitLab system tags' labels by key, as the drain function takes them (p_tag_labels). */
const TAG_LABELS = JSON.stringify(Object.fromEntries(GITLAB_SYSTEM_TAGS.map((tag) => [tag.key, tag.label])));

/** What one call of flagpost_drain_webhook_deliveries did. */
interface DrainedBatch {
  /** Rows applied or ignored. */
  done: number;
  oldest_received_at: string | null;
  /** The row it stopped before, for the step-by-step path; null when it took the whole batch. */
  left: number | string | null;
}

/** Claims up to `limit` pending rows and applies them, all in one database call (one transaction). */
export async function drainBatch(limit: number): Promise<DrainedBatch> {
  const [row] = await currentDatabase().sql.query<{ batch: DrainedBatch }>(
    "SELECT flagpost_drain_webhook_deliveries($1::integer, $2::bigint, $3::jsonb, $4::text) AS batch",
    [limit, DRAIN_LOCK, TAG_LABELS, WEBHOOK_ACTOR.label],
  );
  return row!.batch;
}

/**
 * The step-by-step path: claims one pending row (`id`, or else the lowest pending id) and applies
 * it in a Prisma transaction; the row claimed (none when another drainer took it first).
 */
async function applyOneStepByStep(
  id: bigint | null,
  current: { id: bigint | null },
): Promise<PendingRow | null> {
  return prisma.$transaction(
    async (tx) => {
      // The drain function's lock: batches lock the features of many items, in no common order.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${DRAIN_LOCK}::bigint)`;
      const [row] = await tx.$queryRaw<PendingRow[]>`
        SELECT id, project_id, received_at, payload FROM webhook_deliveries
        WHERE result = 'PENDING' AND payload IS NOT NULL AND (${id}::bigint IS NULL OR id = ${id}::bigint)
        ORDER BY id LIMIT 1
        FOR UPDATE SKIP LOCKED`;
      if (!row) return null;
      current.id = row.id;
      await applyDeliveryStepByStep(tx, {
        id: row.id,
        projectId: row.project_id,
        receivedAt: row.received_at,
        item: readItem(row.payload.item),
        rules: { enabled: row.payload.release_rules, actor: { username: row.payload.actor } },
      });
      current.id = null;
      return row;
    },
    // Deliveries for one feature queue on its row lock; give them time to take turns.
    { maxWait: 10_000, timeout: 30_000 },
  );
}

// An unavailable database, a deadlock or a serialization failure: worth another try later, not a
// verdict on the delivery.
const isTransient = (error: unknown) => isDatabaseUnavailable(error) || isRetryableConflict(error);

/** A delivery that cannot be applied: ERROR with the reason, and its key freed so GitLab's resend applies. */
async function markFailed(id: bigint, error: unknown): Promise<void> {
  const reason = `Flagpost could not apply this delivery: ${(error as Error)?.message ?? String(error)}`;
  await prisma.$executeRaw`
    UPDATE webhook_deliveries SET result = 'ERROR', reason = ${reason.slice(0, 1000)}, dedupe_key = NULL, payload = NULL
    WHERE id = ${id} AND result = 'PENDING'`;
}

/**
 * Applies pending deliveries batch after batch until none is left to claim; the number applied.
 * Not coalesced (tests run two at once as two drainers); the app uses drainPendingDeliveries.
 */
export async function applyPendingDeliveries(): Promise<number> {
  let applied = 0;
  // The next step: a batch through the drain function, or one row step by step (a row the
  // function left, by id; after a failed batch, the lowest pending id).
  let next: { stepByStep: false } | { stepByStep: true; id: bigint | null } = { stepByStep: false };
  for (;;) {
    const current = { id: null as bigint | null };
    try {
      const started = performance.now();
      let done: number;
      let oldest: number | null;
      if (next.stepByStep) {
        const row = await applyOneStepByStep(next.id, current);
        // A row left by the function may have been taken by another drainer meanwhile: look on.
        if (!row && next.id === null) return applied;
        next = { stepByStep: false };
        done = row ? 1 : 0;
        oldest = row?.received_at.getTime() ?? null;
      } else {
        const batch = await drainBatch(batchSize());
        done = batch.done;
        oldest = batch.oldest_received_at === null ? null : Date.parse(batch.oldest_received_at);
        if (batch.left !== null) next = { stepByStep: true, id: BigInt(batch.left) };
        else if (done === 0) return applied;
      }
      applied += done;
      if (oldest !== null && deliveriesKeepComing())
        await sleep((performance.now() - started) * restFactor(oldest));
    } catch (error) {
      if (isTransient(error)) {
        logger.warn("Applying GitLab webhook deliveries failed for now; retrying later", { error });
        return applied;
      }
      // One delivery spoils its batch: go one by one, and set aside the one that fails alone.
      if (!next.stepByStep) {
        next = { stepByStep: true, id: null };
        continue;
      }
      if (current.id === null) throw error;
      logger.error("Could not apply a GitLab webhook delivery", { deliveryId: String(current.id), error });
      await markFailed(current.id, error);
      next = { stepByStep: false };
    }
  }
}

/** How long to rest after a batch during a burst, in multiples of the batch's time (see Pacing). */
export function restFactor(oldestReceivedAt: number, now = Date.now()): number {
  return now - oldestReceivedAt >= BACKLOG_AGE_MS ? BACKLOG_REST_FACTOR : BURST_REST_FACTOR;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const drainer = globalThis as unknown as {
  __flagpostDrain?: Promise<number> | null;
  __flagpostDrainAgain?: boolean;
  __flagpostDrainSweep?: NodeJS.Timeout;
};

/** When this process last accepted a delivery, how many it is receiving, and the pending start of a drain. */
const pacing: {
  lastAcceptedAt: number;
  /** Deliveries being received now: on the embedded database their insert waits for the batch. */
  receiving: number;
  waitingSince: number | null;
  timer: NodeJS.Timeout | null;
} = {
  lastAcceptedAt: -Infinity,
  receiving: 0,
  waitingSince: null,
  timer: null,
};

/**
 * Applies every pending delivery this process can claim; resolves when none is left. Calls while
 * a drain runs join it and make it look once more, so a delivery accepted before the call is
 * applied (or held by another drainer) when the promise resolves. Tests await it after posting.
 */
export function drainPendingDeliveries(): Promise<number> {
  if (drainer.__flagpostDrain) {
    drainer.__flagpostDrainAgain = true;
    return drainer.__flagpostDrain;
  }
  const run = async () => {
    let applied = 0;
    do {
      drainer.__flagpostDrainAgain = false;
      applied += await applyPendingDeliveries();
    } while (drainer.__flagpostDrainAgain);
    return applied;
  };
  drainer.__flagpostDrain = run().finally(() => {
    drainer.__flagpostDrain = null;
  });
  return drainer.__flagpostDrain;
}

function drainInBackground(): void {
  drainPendingDeliveries().catch((error: unknown) =>
    logger.error("Could not apply pending GitLab webhook deliveries", { error }),
  );
}

/**
 * Deliveries keep coming: one was accepted within QUIET_MS, or one is being received. The second
 * matters on the embedded database, where no delivery can be accepted while a batch runs: the
 * batch would otherwise find the burst quiet and run the next batch without a rest.
 */
const deliveriesKeepComing = () =>
  pacing.receiving > 0 || performance.now() - pacing.lastAcceptedAt < QUIET_MS;

/** The receiver runs each delivery through this, so the drainer knows one is on its way. */
export async function receivingDelivery<T>(receive: () => Promise<T>): Promise<T> {
  pacing.receiving++;
  try {
    return await receive();
  } finally {
    pacing.receiving--;
  }
}

/** After accepting a delivery: a drain starts when deliveries pause (or the oldest waited too long). */
export function kickDeliveryDrainer(): void {
  const now = performance.now();
  pacing.lastAcceptedAt = now;
  pacing.waitingSince ??= now;
  scheduleDrain();
}

function scheduleDrain(): void {
  if (pacing.timer || pacing.waitingSince === null) return;
  const startAt = Math.min(pacing.lastAcceptedAt + QUIET_MS, pacing.waitingSince + MAX_LAG_MS);
  pacing.timer = setTimeout(
    () => {
      pacing.timer = null;
      // Deliveries came in since the timer was set and the oldest can still wait: wait on.
      if (performance.now() < Math.min(pacing.lastAcceptedAt + QUIET_MS, pacing.waitingSince! + MAX_LAG_MS))
        return scheduleDrain();
      pacing.waitingSince = null;
      drainInBackground();
    },
    Math.max(0, startAt - performance.now()),
  );
}

/** At server start: apply what a crash left pending, then look again every 30 s (other instances' leftovers). */
export function startDeliveryDrainer(): void {
  drainInBackground();
  drainer.__flagpostDrainSweep ??= setInterval(drainInBackground, SWEEP_EVERY_MS);
  drainer.__flagpostDrainSweep.unref();
}
