import "server-only";
import { ApiError, errorResponse, notFound } from "@/lib/api/errors";
import { readBodyText } from "@/lib/api/read-body";
import { jsonResponse } from "@/lib/api/with-route";
import { prisma } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/database-errors";
import type { GitLabIntegration } from "@/lib/generated/prisma/client";
import { receiveNoteCommand, type NoteCommandOutcome } from "@/lib/gitlab/commands/receive-command";
import { checkWebhookToken } from "@/lib/gitlab/webhooks/authenticate";
import { deliveryKey } from "@/lib/gitlab/webhooks/dedupe-key";
import {
  countRejectedRequest,
  pruneDeliveriesNowAndThen,
  recordDelivery,
  type DeliveryRecord,
} from "@/lib/gitlab/webhooks/delivery-log";
import {
  acceptDelivery,
  kickDeliveryDrainer,
  receivingDelivery,
} from "@/lib/gitlab/webhooks/drain-deliveries";
import { normaliseDelivery, type NormalisedDelivery } from "@/lib/gitlab/webhooks/normalise-payload";
import {
  liveIntegrationForWebhook,
  rememberedWebhookIntegration,
  type WebhookIntegration,
} from "@/lib/gitlab/webhooks/webhook-integration";
import { logger } from "@/lib/logger";

// POST /api/v1/gitlab-webhook/{project_id}/: GitLab's deliveries for one Flagpost project.
// Order of checks: live integration (404) → secret token (401, counted as a rejection) → body size
// (413) → event and payload (200 ignored / 400) → accept: ONE statement (shared with the deliveries
// accepted at the same time) that inserts a PENDING row holding the normalised item if the
// integration row is still the one remembered (its unique dedupe key makes a redelivery a
// duplicate; 200 "accepted" after it committed) → the drainer applies pending rows in batches
// right after (drain-deliveries.ts). The integration comes from memory; an answer other than an
// acceptance checks it against the database first, and a changed row means the delivery is
// handled again with the row as it is now (webhook-integration.ts).
// Anything GitLab or a stranger can send ends in a 2xx or 4xx answer and a log row (wrong tokens
// only add to a per-hour counter, so strangers cannot flush the log); a failing database answers
// 503 and any other failure of ours 500. GitLab disables hooks after repeated failures (for good
// after a 4xx in GitLab ≤ 17), so events we merely do not use are answered 200 "ignored".

const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

// GitLab sends internal notes, and every note on a confidential issue, as "Confidential Note
// Hook"; the command reader decides from the body whether those may act.
const NOTE_EVENTS = new Set(["Note Hook", "Confidential Note Hook"]);

type Row = Omit<DeliveryRecord, "durationMs">;

export function receiveGitLabWebhook(req: Request, projectId: number): Promise<Response> {
  return receivingDelivery(() => receive(req, projectId));
}

async function receive(req: Request, projectId: number): Promise<Response> {
  const request = {
    req,
    projectId,
    receivedAt: new Date(),
    startedAt: performance.now(),
    body: bodyOnce(req),
  };
  // The remembered integration row first (no query); a stale one is read again, and the delivery
  // handled anew with it (webhook-integration.ts).
  let known = rememberedWebhookIntegration(projectId);
  for (;;) {
    if (!known) {
      try {
        known = await liveIntegrationForWebhook(projectId);
      } catch (error) {
        return errorResponse(databaseTrouble(error) ?? error);
      }
      if (!known) return errorResponse(notFound("GitLab integration for this project"));
    }
    let answer: Response | typeof STALE;
    try {
      answer = await receiveFor(request, known);
    } catch (error) {
      // A check of the integration row failed (its own failures answer inside).
      return errorResponse(databaseTrouble(error) ?? error);
    }
    if (answer !== STALE) return answer;
    known = null;
  }
}

const STALE = Symbol("integration row changed");

interface IncomingDelivery {
  req: Request;
  projectId: number;
  receivedAt: Date;
  startedAt: number;
  /** The body, read once (a delivery handled anew reads it from here). */
  body: () => Promise<string>;
}

function bodyOnce(req: Request): () => Promise<string> {
  let read: Promise<string> | null = null;
  return () => (read ??= readBodyText(req, MAX_WEBHOOK_BODY_BYTES));
}

/** The delivery against one version of the integration row; STALE when the row has changed since. */
async function receiveFor(
  { req, projectId, receivedAt, startedAt, body: readBody }: IncomingDelivery,
  { integration, fingerprint }: WebhookIntegration,
): Promise<Response | typeof STALE> {
  // Answers other than an acceptance check the row first (the acceptance checks it itself).
  const changed = async () => (await liveIntegrationForWebhook(projectId))?.fingerprint !== fingerprint;
  pruneDeliveriesNowAndThen(projectId);

  const event = req.headers.get("x-gitlab-event")?.trim() || null;
  const key = deliveryKey(req.headers, projectId);
  const base = {
    projectId,
    integrationId: integration.id,
    receivedAt,
    event,
    idempotencyKey: key?.raw ?? null,
  };
  const log = async (row: Row) => {
    try {
      await recordDelivery(prisma, { ...row, durationMs: Math.round(performance.now() - startedAt) });
    } catch (error) {
      logger.error("Could not record a GitLab webhook delivery", { projectId, result: row.result, error });
    }
  };

  const token = checkWebhookToken(req.headers.get("x-gitlab-token"), integration.encryptedWebhookSecret);
  if (!token.ok) {
    if (await changed()) return STALE;
    logger.warn("GitLab webhook refused: bad token", { projectId, event, reason: token.reason });
    try {
      await countRejectedRequest(prisma, {
        projectId,
        integrationId: integration.id,
        receivedAt,
        reason: token.reason,
      });
    } catch (error) {
      logger.error("Could not count a rejected GitLab webhook request", { projectId, error });
    }
    return errorResponse(new ApiError("unauthorized", "Invalid webhook token"));
  }

  let body: string;
  try {
    body = await readBody();
  } catch (error) {
    if (await changed()) return STALE;
    const apiError =
      error instanceof ApiError ? error : new ApiError("bad_request", "The request body could not be read");
    await log({ ...base, result: "ERROR", reason: apiError.message, httpStatus: apiError.status });
    return errorResponse(apiError);
  }

  if (event && NOTE_EVENTS.has(event) && integration.commandsEnabled) {
    if (await changed()) return STALE;
    const facts = { ...base, action: "create", objectKind: "note", itemRef: null };
    let outcome: NoteCommandOutcome;
    try {
      outcome = await receiveNoteCommand(integration, body);
    } catch (error) {
      return failed(error, facts, log);
    }
    const result =
      outcome.status === "queued" ? "APPLIED" : outcome.status === "duplicate" ? "DUPLICATE" : "IGNORED";
    await log({
      ...facts,
      result,
      reason: outcome.status === "ignored" ? outcome.reason : null,
      httpStatus: 200,
    });
    return jsonResponse(outcome);
  }

  const delivery = normaliseDelivery(event, body, { instanceUrl: integration.instanceUrl });
  const facts = {
    ...base,
    action: delivery.action,
    objectKind: delivery.objectKind,
    itemRef: delivery.itemRef,
  };
  const own = delivery.outcome === "item" ? ownLabelEditReason(delivery, integration) : null;
  if ((delivery.outcome !== "item" || own) && (await changed())) return STALE;
  if (delivery.outcome === "invalid") {
    logger.warn("GitLab webhook payload refused", { projectId, event, reason: delivery.reason });
    await log({ ...facts, result: "ERROR", reason: delivery.reason, httpStatus: 400, body });
    return errorResponse(new ApiError("bad_request", delivery.reason));
  }
  const ignore = async (reason: string) => {
    await log({ ...facts, result: "IGNORED", reason, httpStatus: 200 });
    return jsonResponse({ status: "ignored", reason });
  };
  if (delivery.outcome === "ignored") return ignore(delivery.reason);
  if (own) return ignore(own);

  let accepted: Awaited<ReturnType<typeof acceptDelivery>>;
  try {
    accepted = await acceptDelivery(
      {
        ...facts,
        dedupeKey: key?.dedupeKey ?? null,
        durationMs: Math.round(performance.now() - startedAt),
      },
      delivery.item,
      { enabled: integration.releaseRulesEnabled, actor: { username: delivery.actor.username } },
      fingerprint,
    );
  } catch (error) {
    return failed(error, facts, log);
  }
  if (accepted === "stale") return STALE;
  if (accepted.id === null) {
    await log({
      ...facts,
      result: "DUPLICATE",
      reason: `Delivery ${key?.raw} was already processed`,
      httpStatus: 200,
    });
    return jsonResponse({ status: "duplicate" });
  }
  kickDeliveryDrainer();
  // Stored durably; applied right after. `delivery` is the row the deliveries panel shows.
  return jsonResponse({ status: "accepted", delivery: accepted.id.toString() });
}

// What adding or removing the Flagpost label changes on an item; anything else is a real change.
const LABEL_EDIT_FIELDS = new Set([
  "labels",
  "updated_at",
  "updated_by_id",
  "last_edited_at",
  "last_edited_by_id",
]);

/**
 * Our label edits come back as webhooks and change no state: skip them. Everything else the
 * token's user does is processed (with a personal access token that user is a person closing
 * issues and merging MRs); tags are derived from state and older events are skipped, so applying
 * our own echoes could not loop anyway. Our notes arrive as note events, which are not used.
 */
function ownLabelEditReason(
  delivery: Extract<NormalisedDelivery, { outcome: "item" }>,
  integration: GitLabIntegration,
): string | null {
  const { id, username } = delivery.actor;
  const sameId = id !== null && integration.tokenUserId !== null && id === integration.tokenUserId;
  const sameName =
    !!username &&
    !!integration.tokenUsername &&
    username.toLowerCase() === integration.tokenUsername.toLowerCase();
  if (!sameId && !sameName) return null;
  const changed = delivery.changedFields;
  if (!changed?.includes("labels") || !changed.every((field) => LABEL_EDIT_FIELDS.has(field))) return null;
  return `Flagpost's own label edit (by ${integration.tokenUsername ?? username ?? id}): nothing to update`;
}

/** A 503 for errors that mean the database is away or overloaded; null for anything else. */
function databaseTrouble(error: unknown): ApiError | null {
  if (!isDatabaseUnavailable(error)) return null;
  return new ApiError(
    "service_unavailable",
    "The database is not available right now; resend the delivery from GitLab's webhook settings",
    undefined,
    {
      "retry-after": "60",
    },
  );
}

/**
 * A failure while accepting is ours, not the sender's: 503 when the database is away, else 500
 * (never a 4xx, which GitLab ≤ 17 answers by disabling the hook for good). The answer says no more
 * than that; the delivery row keeps the error for the panel.
 */
async function failed(
  error: unknown,
  facts: Omit<Row, "result" | "httpStatus">,
  log: (row: Row) => Promise<void>,
): Promise<Response> {
  logger.error("Could not accept a GitLab webhook delivery", {
    projectId: facts.projectId,
    itemRef: facts.itemRef,
    error,
  });
  const apiError =
    databaseTrouble(error) ??
    new ApiError(
      "internal_error",
      "Flagpost could not accept this delivery (the error was logged); GitLab may resend it",
    );
  await log({
    ...facts,
    result: "ERROR",
    reason: `${apiError.message}: ${(error as Error)?.message ?? String(error)}`.slice(0, 1000),
    httpStatus: apiError.status,
  });
  return errorResponse(apiError);
}
