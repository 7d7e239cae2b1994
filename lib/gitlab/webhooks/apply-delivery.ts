import "server-only";
import type { AuditActor } from "@/lib/audit/record-audit";
import { prisma } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { syncFeatureGitLabTags, type TagChange } from "@/lib/gitlab/links/feature-tags";
import { deliveryRow, type DeliveryChanges, type DeliveryRecord } from "@/lib/gitlab/webhooks/delivery-log";
import type { WebhookItem } from "@/lib/gitlab/webhooks/normalise-payload";

// Applies one issue or merge request event to a Flagpost project in one transaction:
//   1. claim the delivery key and lock (in id order) the features linking the item — one statement;
//      a repeat finds the key taken and changes nothing; a racing twin waits for the first to commit;
//   2. refresh the metadata of every link to the item — one statement, run after the locks so it
//      sees every delivery committed before it, and skipping links whose stored updated_at is newer
//      (GitLab does not guarantee delivery order);
//   3. recompute the features' GitLab tags from all their links (syncFeatureGitLabTags).
// Few round trips matter: on the embedded database every statement of a transaction holds the
// database for everyone else.

export const WEBHOOK_ACTOR: AuditActor = { kind: "system", label: "GitLab webhook" };

export type ApplyOutcome =
  | { status: "applied"; updatedLinks: number; tagChanges: TagChange[] }
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
export function deliveryChanges(
  state: string,
  updated: { feature_id: number; feature_name: string }[],
  tagChanges: TagChange[],
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
  return { state, features: [...features.values()] };
}

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

export async function applyWebhookItem(
  projectId: number,
  item: WebhookItem,
  delivery: Omit<DeliveryRecord, "result" | "httpStatus" | "durationMs">,
  startedAt: number,
): Promise<ApplyOutcome> {
  const row = deliveryRow({ ...delivery, result: "APPLIED", httpStatus: 200, durationMs: 0 });
  const match = linkMatch(item);
  return prisma.$transaction(
    async (tx) => {
      const [claim] = await tx.$queryRaw<{ delivery_id: bigint | null; features: number[] }[]>`
        WITH claim AS (
          INSERT INTO webhook_deliveries (project_id, integration_id, received_at, event, action, object_kind, item_ref, idempotency_key, dedupe_key, result, http_status, duration_ms)
          VALUES (${row.projectId}, ${row.integrationId}, ${row.receivedAt}::timestamptz, ${row.event}, ${row.action}, ${row.objectKind}, ${row.itemRef},
                  ${row.idempotencyKey}, ${row.dedupeKey}, 'APPLIED', 200, 0)
          ON CONFLICT (dedupe_key) DO NOTHING
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
        tx.webhookDelivery.update({
          where: { id: claim.delivery_id! },
          data: { ...data, durationMs: Math.round(performance.now() - startedAt) },
        });
      if (claim.features.length === 0) {
        const reason = `${item.ref} is not linked to any feature of this project`;
        await finish({ result: "IGNORED", reason });
        return { status: "ignored" as const, reason };
      }

      const refreshedAt = delivery.receivedAt;
      const updated = await tx.$queryRaw<{ feature_id: number; feature_name: string }[]>`
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
        FROM features f
        WHERE f.id = r.feature_id AND f.id = ANY(${claim.features}) AND ${match} AND ${notOlder(item)}
        RETURNING r.feature_id, f.name AS feature_name`;
      if (updated.length === 0) {
        const reason = `Out of order: ${item.ref} was updated at ${item.updatedAt?.toISOString()}, before the state Flagpost already has`;
        await finish({ result: "IGNORED", reason });
        return { status: "ignored" as const, reason };
      }
      const tagChanges = await syncFeatureGitLabTags(
        tx,
        projectId,
        updated.map((link) => link.feature_id),
        WEBHOOK_ACTOR,
      );
      await finish({ result: "APPLIED", changes: deliveryChanges(item.state, updated, tagChanges) });
      return { status: "applied" as const, updatedLinks: updated.length, tagChanges };
    },
    // Deliveries for one feature queue on its row lock; give them time to take turns.
    { maxWait: 10_000, timeout: 15_000 },
  );
}
