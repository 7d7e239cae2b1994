import "server-only";
import type { AuditActor, AuditEntry } from "@/lib/audit/record-audit";
import type { Db } from "@/lib/db/types";
import { Prisma } from "@/lib/generated/prisma/client";
import { recordAudits } from "@/lib/audit/record-audit";
import { describeTagChange, syncFeatureGitLabTags, type TagChange } from "@/lib/gitlab/links/feature-tags";
import {
  fireRulesOnRevert,
  fireRulesOnTransition,
  type DeliveryActor,
} from "@/lib/gitlab/release-rules/fire-on-transition";
import { GITLAB_SYSTEM_TAGS } from "@/lib/gitlab/links/system-tags";
import type { DeliveryChanges } from "@/lib/gitlab/webhooks/delivery-log";
import type { WebhookItem } from "@/lib/gitlab/webhooks/normalise-payload";

// Applies accepted (PENDING) issue and merge request deliveries inside the drainer's transaction
// (lib/gitlab/webhooks/drain-deliveries.ts), each in these steps:
//   1. claim the pending row and lock (in id order) the features linking the item — one statement;
//      a row no longer pending was applied already and changes nothing (dedupe of the key itself
//      happened when the delivery was accepted: its dedupe_key is unique);
//   2. refresh the metadata of every link to the item — one statement, run after the locks so it
//      sees every delivery committed before it, and skipping links whose stored updated_at is newer
//      (GitLab does not guarantee delivery order);
//   3. recompute the features' GitLab tags from all their links (syncFeatureGitLabTags);
//   4. with release rules on, fire the rules of links whose state really changed (and of a merge
//      request a merged Revert MR reverts), queueing their jobs in this same transaction.
// Few round trips matter: on the embedded database a transaction holds the database for everyone
// else. So steps 1–3 are the database function flagpost_apply_webhook_item (migrations
// 20261203072715 and 20261203103410), called for a whole batch at once through
// flagpost_apply_webhook_items (20261203201500); the audit rows of the tag changes and each
// delivery's `changes` are written once per batch (DeliveryBatchWrites). The step-by-step
// TypeScript below is kept for integrations with release rules on (step 4 needs each link's
// previous state in the transaction) and for a project missing some of its GitLab system tags (the
// function answers "fallback" before writing anything), which it recreates.

export const WEBHOOK_ACTOR: AuditActor = { kind: "system", label: "GitLab webhook" };

export type ApplyOutcome =
  | { status: "applied"; updatedLinks: number; tagChanges: TagChange[]; firedRules: number }
  | { status: "ignored"; reason: string }
  | { status: "duplicate" };

/** Links in the project to the item: by GitLab project id, or by path when the payload has no id. */
function linkMatch(item: WebhookItem): Prisma.Sql {
  const project =
    item.gitlabProjectId !== null
      ? Prisma.sql`r.gitlab_project_id = ${item.gitlabProjectId}`
      : Prisma.sql`lower(r.gitlab_project_path) = lower(${item.projectPath})`;
  return Prisma.sql`r.type = ${item.type}::"ExternalResourceType" AND r.iid = ${item.iid} AND ${project}`;
}

/** Not older than what is stored; whole-second timestamps (older GitLab) compare at whole seconds. */
function notOlder(item: WebhookItem): Prisma.Sql {
  if (!item.updatedAt) return Prisma.sql`TRUE`;
  const stored = item.updatedAtHasMillis
    ? Prisma.sql`r.gitlab_updated_at`
    : Prisma.sql`date_trunc('second', r.gitlab_updated_at)`;
  return Prisma.sql`(r.gitlab_updated_at IS NULL OR ${stored} <= ${item.updatedAt}::timestamptz)`;
}

/** What the deliveries panel says an applied delivery changed: per feature, its GitLab tags added and removed. */
function deliveryChanges(
  state: string,
  updated: { feature_id: number; feature_name: string }[],
  tagChanges: TagChange[],
  outcome: { updatedLinks: number; firedRules: number },
): DeliveryChanges {
  const byFeature = new Map(tagChanges.map((change) => [change.featureId, change]));
  const features = new Map<number, DeliveryChanges["features"][number]>();
  for (const row of updated) {
    const change = byFeature.get(row.feature_id);
    features.set(row.feature_id, {
      id: row.feature_id,
      name: row.feature_name,
      added: change?.added ?? [],
      removed: change?.removed ?? [],
    });
  }
  return {
    state,
    features: [...features.values()],
    updated_links: outcome.updatedLinks,
    ...(outcome.firedRules > 0 ? { fired_rules: outcome.firedRules } : {}),
  };
}

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

const TAG_LABELS = JSON.stringify(Object.fromEntries(GITLAB_SYSTEM_TAGS.map((tag) => [tag.key, tag.label])));

type FunctionAnswer =
  | { status: "fallback" }
  | { status: "duplicate" }
  | { status: "ignored"; reason: string }
  | {
      status: "applied";
      updated_links: number;
      delivery_id: number;
      updated_features: { feature_id: number; feature_name: string }[];
      tag_changes: {
        feature_id: number;
        feature_name: string;
        organisation_id: number;
        added: string[];
        removed: string[];
      }[];
    };

export type ReleaseRulesOption = { enabled: boolean; actor: DeliveryActor };

/** An accepted delivery as the drainer hands it over: its row id (status PENDING) and normalised item. */
export interface PendingItemDelivery {
  id: bigint;
  projectId: number;
  receivedAt: Date;
  item: WebhookItem;
  rules: ReleaseRulesOption;
}

/** The item as the database function takes it (p_item). */
function itemJson(item: WebhookItem): string {
  return JSON.stringify({
    type: item.type,
    iid: item.iid,
    gitlab_project_id: item.gitlabProjectId,
    project_path: item.projectPath,
    state: item.state,
    draft: item.draft,
    title: item.title ?? null,
    labels: item.labels ?? null,
    assignees: item.assignees ?? null,
    author: item.author ?? null,
    updated_at: item.updatedAt?.toISOString() ?? null,
    updated_at_has_millis: item.updatedAtHasMillis,
    closed_at: item.closedAt?.toISOString() ?? null,
    unlinked_reason: unlinkedReason(item),
    out_of_order_reason: outOfOrderReason(item),
  });
}

/**
 * What the one-call path leaves to the end of the drainer's batch, in the same transaction: the
 * audit rows of every tag change and each delivery's `changes`, one statement each for the batch.
 */
export class DeliveryBatchWrites {
  private audits: AuditEntry[] = [];
  private changes: Array<[id: string, changes: string]> = [];

  audit(entry: AuditEntry) {
    this.audits.push(entry);
  }

  deliveryChanges(id: bigint | number | string, changes: DeliveryChanges) {
    this.changes.push([String(id), JSON.stringify(changes)]);
  }

  async flush(tx: Db): Promise<void> {
    const [audits, changes] = [this.audits, this.changes];
    this.audits = [];
    this.changes = [];
    await recordAudits(tx, WEBHOOK_ACTOR, audits);
    if (changes.length > 0)
      await tx.$executeRaw`
        UPDATE webhook_deliveries d SET changes = c.changes
        FROM unnest(${changes.map(([id]) => id)}::bigint[], ${changes.map(([, json]) => json)}::jsonb[]) AS c(id, changes)
        WHERE d.id = c.id`;
  }
}

/**
 * Applies pending deliveries, in the order given, in the caller's transaction `tx`: one outcome
 * per delivery ("duplicate" when it was no longer pending). Consecutive deliveries without release
 * rules go to the database in one call. The caller flushes `batch` before committing.
 */
export async function applyClaimedDeliveries(
  tx: Db,
  deliveries: PendingItemDelivery[],
  batch: DeliveryBatchWrites,
): Promise<ApplyOutcome[]> {
  const outcomes: ApplyOutcome[] = [];
  while (outcomes.length < deliveries.length) {
    const next = deliveries[outcomes.length]!;
    // Release rules need each link's previous state and fire in the same transaction: the
    // step-by-step path does both. They are opt-in per integration; the rest take the one-call path.
    if (next.rules.enabled) {
      outcomes.push(await applyStepByStep(tx, next));
      continue;
    }
    const run: PendingItemDelivery[] = [];
    for (const delivery of deliveries.slice(outcomes.length)) {
      if (delivery.rules.enabled) break;
      run.push(delivery);
    }
    const [answered] = await tx.$queryRaw<{ answers: FunctionAnswer[] }[]>`
      SELECT flagpost_apply_webhook_items(
        ${run.map((delivery) => delivery.projectId)}::integer[],
        ${run.map((delivery) => JSON.stringify({ delivery_id: delivery.id.toString(), received_at: delivery.receivedAt.toISOString() }))}::jsonb[],
        ${run.map((delivery) => itemJson(delivery.item))}::jsonb[],
        ${TAG_LABELS}::jsonb) AS answers`;
    // The answers stop after a "fallback" (nothing written for it): that one goes step by step.
    for (const [index, answer] of answered!.answers.entries()) {
      const delivery = run[index]!;
      outcomes.push(
        answer.status === "fallback"
          ? await applyStepByStep(tx, delivery)
          : recordAnswer(delivery, answer, batch),
      );
    }
  }
  return outcomes;
}

/** The outcome of the database function for one delivery; its audit rows and `changes` go to `batch`. */
function recordAnswer(
  { projectId, item }: PendingItemDelivery,
  answer: Exclude<FunctionAnswer, { status: "fallback" }>,
  batch: DeliveryBatchWrites,
): ApplyOutcome {
  if (answer.status !== "applied") return answer;
  const tagChanges: TagChange[] = [];
  for (const change of answer.tag_changes) {
    const tagChange = {
      featureId: change.feature_id,
      featureName: change.feature_name,
      added: change.added,
      removed: change.removed,
    };
    tagChanges.push(tagChange);
    batch.audit({
      organisationId: change.organisation_id,
      projectId,
      featureId: change.feature_id,
      action: "UPDATE",
      entityType: "feature_tags",
      entityId: change.feature_id,
      summary: describeTagChange(tagChange),
      changes: { gitlab_tags: { from: tagChange.removed, to: tagChange.added } },
    });
  }
  const outcome = {
    status: "applied" as const,
    updatedLinks: answer.updated_links,
    tagChanges,
    firedRules: 0,
  };
  batch.deliveryChanges(
    answer.delivery_id,
    deliveryChanges(item.state, answer.updated_features, tagChanges, outcome),
  );
  return outcome;
}

const unlinkedReason = (item: WebhookItem) => `${item.ref} is not linked to any feature of this project`;
const outOfOrderReason = (item: WebhookItem) =>
  `Out of order: ${item.ref} was updated at ${item.updatedAt?.toISOString()}, before the state Flagpost already has`;

/** The same steps as separate statements; used with release rules on, and when the project lacks some GitLab system tag. */
async function applyStepByStep(tx: Db, delivery: PendingItemDelivery): Promise<ApplyOutcome> {
  const { projectId, item, rules } = delivery;
  const match = linkMatch(item);
  const [claim] = await tx.$queryRaw<{ delivery_id: bigint | null; features: number[] }[]>`
        WITH claim AS (
          UPDATE webhook_deliveries SET result = 'APPLIED', http_status = 200, payload = NULL
          WHERE id = ${delivery.id} AND result = 'PENDING'
          RETURNING id
        ), locked AS (
          SELECT f.id FROM features f
          WHERE EXISTS (SELECT 1 FROM claim) AND f.project_id = ${projectId}
            AND EXISTS (SELECT 1 FROM external_resources r WHERE r.feature_id = f.id AND ${match})
          ORDER BY f.id
          FOR UPDATE
        )
        SELECT (SELECT id FROM claim) AS delivery_id, ARRAY(SELECT id FROM locked) AS features`;
  if (!claim?.delivery_id) return { status: "duplicate" as const };
  const finish = (data: Prisma.WebhookDeliveryUpdateInput) =>
    tx.webhookDelivery.update({ where: { id: claim.delivery_id! }, data });
  const revertFirings = rules.enabled ? await fireRulesOnRevert(tx, projectId, item, rules.actor) : 0;
  if (claim.features.length === 0 && revertFirings > 0) {
    const outcome = {
      status: "applied" as const,
      updatedLinks: 0,
      tagChanges: [],
      firedRules: revertFirings,
    };
    await finish({ result: "APPLIED", changes: deliveryChanges(item.state, [], [], outcome) });
    return outcome;
  }
  if (claim.features.length === 0) {
    const reason = unlinkedReason(item);
    await finish({ result: "IGNORED", reason });
    return { status: "ignored" as const, reason };
  }

  const refreshedAt = delivery.receivedAt;
  const updated = await tx.$queryRaw<
    { feature_id: number; feature_name: string; link_id: number; previous_state: string }[]
  >`
        UPDATE external_resources r SET
          state = ${item.state},
          draft = ${item.draft},
          title = COALESCE(${item.title ?? null}, r.title),
          labels = COALESCE(${item.labels ?? null}::text[], r.labels),
          assignees = COALESCE(${json(item.assignees)}::jsonb, r.assignees),
          author = COALESCE(${json(item.author)}::jsonb, r.author),
          gitlab_updated_at = GREATEST(r.gitlab_updated_at, ${item.updatedAt}::timestamptz),
          -- Closed without a time in the body: keep the time already known, else this delivery's.
          closed_at = CASE
            WHEN ${item.state} = 'opened' THEN NULL
            WHEN ${item.closedAt}::timestamptz IS NOT NULL THEN ${item.closedAt}::timestamptz
            WHEN r.state = ${item.state} AND r.closed_at IS NOT NULL THEN r.closed_at
            ELSE ${refreshedAt}::timestamptz END,
          metadata_refreshed_at = ${refreshedAt}::timestamptz
        FROM features f, external_resources prior
        WHERE f.id = r.feature_id AND f.id = ANY(${claim.features}) AND ${match} AND ${notOlder(item)}
          AND prior.id = r.id
        RETURNING r.feature_id, f.name AS feature_name, r.id AS link_id, prior.state AS previous_state`;
  if (updated.length === 0) {
    const reason = outOfOrderReason(item);
    await finish({ result: "IGNORED", reason });
    return { status: "ignored" as const, reason };
  }
  const tagChanges = await syncFeatureGitLabTags(
    tx,
    projectId,
    updated.map((link) => link.feature_id),
    WEBHOOK_ACTOR,
  );
  const fired = rules.enabled
    ? await fireRulesOnTransition(
        tx,
        item,
        updated.map((link) => ({ linkId: link.link_id, previousState: link.previous_state })),
        rules.actor,
      )
    : 0;
  const outcome = {
    status: "applied" as const,
    updatedLinks: updated.length,
    tagChanges,
    firedRules: fired + revertFirings,
  };
  await finish({ result: "APPLIED", changes: deliveryChanges(item.state, updated, tagChanges, outcome) });
  return outcome;
}
