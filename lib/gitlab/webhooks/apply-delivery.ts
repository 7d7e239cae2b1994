import "server-only";
import type { AuditActor } from "@/lib/audit/record-audit";
import type { Db } from "@/lib/db/types";
import { Prisma } from "@/lib/generated/prisma/client";
import { syncFeatureGitLabTags, type TagChange } from "@/lib/gitlab/links/feature-tags";
import {
  fireRulesOnRevert,
  fireRulesOnTransition,
  type DeliveryActor,
} from "@/lib/gitlab/release-rules/fire-on-transition";
import type { DeliveryChanges } from "@/lib/gitlab/webhooks/delivery-log";
import type { WebhookItem } from "@/lib/gitlab/webhooks/normalise-payload";

// Applies an accepted (PENDING) issue or merge request delivery inside the drainer's transaction
// (lib/gitlab/webhooks/drain-deliveries.ts), in these steps:
//   1. claim the pending row and lock (in id order) the features linking the item — one statement;
//      a row no longer pending was applied already and changes nothing (dedupe of the key itself
//      happened when the delivery was accepted: its dedupe_key is unique);
//   2. refresh the metadata of every link to the item — one statement, run after the locks so it
//      sees every delivery committed before it, and skipping links whose stored updated_at is newer
//      (GitLab does not guarantee delivery order);
//   3. recompute the features' GitLab tags from all their links (syncFeatureGitLabTags);
//   4. with release rules on, fire the rules of links whose state really changed (and of a merge
//      request a merged Revert MR reverts), queueing their jobs in this same transaction.
// Most deliveries never come here: the drainer's batch is one call of the database function
// flagpost_drain_webhook_deliveries, which does steps 1–3 in SQL for the whole batch and writes
// the same audit rows and `changes` (an integration test compares both paths). This
// TypeScript takes the rows that function leaves: release rules on (step 4 needs each link's
// previous state in the transaction), a project missing some of its GitLab system tags (which it
// recreates), and the one-by-one retry after a failed batch.

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

export type ReleaseRulesOption = { enabled: boolean; actor: DeliveryActor };

/** An accepted delivery as the drainer hands it over: its row id (status PENDING) and normalised item. */
export interface PendingItemDelivery {
  id: bigint;
  projectId: number;
  receivedAt: Date;
  item: WebhookItem;
  rules: ReleaseRulesOption;
}

/** Why a delivery of `item` would be ignored: not linked, or older than the state stored. */
export const applyReasons = (item: WebhookItem) => ({
  unlinked: `${item.ref} is not linked to any feature of this project`,
  out_of_order: `Out of order: ${item.ref} was updated at ${item.updatedAt?.toISOString()}, before the state Flagpost already has`,
});

/**
 * Applies one claimed delivery in `tx` step by step (the drain function does steps 1–3 in SQL):
 * with release rules on, for a project lacking some GitLab system tag, and when a batch failed.
 */
export async function applyDeliveryStepByStep(tx: Db, delivery: PendingItemDelivery): Promise<ApplyOutcome> {
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
    const reason = applyReasons(item).unlinked;
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
    const reason = applyReasons(item).out_of_order;
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
