import "server-only";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import type { Db } from "@/lib/db/types";
import type { ExternalResourceType } from "@/lib/generated/prisma/client";
import {
  ensureGitLabSystemTags,
  GITLAB_SYSTEM_TAGS,
  gitlabSystemTag,
  type GitLabSystemTagKey,
} from "@/lib/gitlab/links/system-tags";

// Which GitLab tag a feature carries is derived from the current state of all its linked items,
// never from the action that just happened: issue opened → "Issue Open", closed → "Issue Closed";
// MR merged → "MR Merged", closed → "MR Closed", open and draft → "MR Draft", open → "MR Open".
// With several items of one kind the most active wins (open beats draft beats merged beats closed),
// so closing one of two open issues leaves "Issue Open". Issue and MR tags are independent.
// Cleanup issues (created by Flagpost for a stale flag) do not count.

export interface LinkedItemState {
  type: ExternalResourceType;
  state: string;
  draft: boolean;
}

export function itemTagKey(item: LinkedItemState): GitLabSystemTagKey {
  if (item.type === "GITLAB_ISSUE") return item.state === "closed" ? "issue_closed" : "issue_open";
  if (item.state === "merged") return "mr_merged";
  if (item.state === "closed") return "mr_closed";
  return item.draft ? "mr_draft" : "mr_open";
}

const ACTIVITY: Record<GitLabSystemTagKey, number> = {
  issue_open: 2,
  issue_closed: 1,
  mr_open: 4,
  mr_draft: 3,
  mr_merged: 2,
  mr_closed: 1,
};

/** The issue tag and MR tag a feature should carry given its linked items (null: none of that kind). */
export function desiredTags(items: LinkedItemState[]): {
  issue: GitLabSystemTagKey | null;
  merge_request: GitLabSystemTagKey | null;
} {
  const best = { issue: null as GitLabSystemTagKey | null, merge_request: null as GitLabSystemTagKey | null };
  for (const item of items) {
    const key = itemTagKey(item);
    const kind = gitlabSystemTag(key).kind;
    const current = best[kind];
    if (!current || ACTIVITY[key] > ACTIVITY[current]) best[kind] = key;
  }
  return best;
}

export interface TagChange {
  featureId: number;
  featureName: string;
  added: string[];
  removed: string[];
}

/**
 * Brings the GitLab tags of the given features in line with their links. Call inside the
 * transaction that changed the links: the feature rows are locked first (in id order), so
 * concurrent webhook deliveries for the same feature apply one after the other and the last one
 * sees every committed state. Does nothing when the project's integration has tagging off.
 */
export async function syncFeatureGitLabTags(
  tx: Db,
  projectId: number,
  featureIds: number[],
  actor: AuditActor,
): Promise<TagChange[]> {
  const ids = [...new Set(featureIds)].sort((a, b) => a - b);
  if (ids.length === 0) return [];
  const integration = await tx.gitLabIntegration.findFirst({
    where: { liveProjectId: projectId },
    select: { taggingEnabled: true },
  });
  if (!integration?.taggingEnabled) return [];
  const systemTags = () =>
    tx.tag.findMany({
      where: { projectId, type: "GITLAB", isSystemTag: true },
      select: { id: true, label: true },
    });
  let tags = await systemTags();
  // Created when tagging is turned on; only a project that lost some needs the insert (every call is a round trip).
  if (GITLAB_SYSTEM_TAGS.some((def) => !tags.some((tag) => tag.label === def.label))) {
    await ensureGitLabSystemTags(tx, projectId);
    tags = await systemTags();
  }
  const features = await tx.$queryRaw<{ id: number; name: string; organisation_id: number }[]>`
    SELECT f.id, f.name, p.organisation_id FROM features f JOIN projects p ON p.id = f.project_id
    WHERE f.id = ANY(${ids}) AND f.project_id = ${projectId} ORDER BY f.id FOR UPDATE OF f`;
  const [links, current] = await Promise.all([
    // Cleanup issues are the answer to a stale flag, not its work (as in the stale rules): no tag.
    tx.externalResource.findMany({
      where: { featureId: { in: ids }, isCleanupIssue: false },
      select: { featureId: true, type: true, state: true, draft: true },
    }),
    tx.featureTag.findMany({
      where: { featureId: { in: ids }, tag: { type: "GITLAB", isSystemTag: true } },
      select: { featureId: true, tagId: true },
    }),
  ]);
  const tagIdByKey = new Map(
    GITLAB_SYSTEM_TAGS.map((def) => [def.key, tags.find((tag) => tag.label === def.label)?.id]),
  );
  const labelById = new Map(tags.map((tag) => [tag.id, tag.label]));
  const changes: TagChange[] = [];
  const toRemove: { featureId: number; tagId: number }[] = [];
  const toAdd: { featureId: number; tagId: number }[] = [];
  for (const feature of features) {
    const wanted = desiredTags(links.filter((link) => link.featureId === feature.id));
    const wantedIds = new Set(
      [wanted.issue, wanted.merge_request].flatMap((key) =>
        key && tagIdByKey.get(key) ? [tagIdByKey.get(key)!] : [],
      ),
    );
    const haveIds = new Set(current.filter((row) => row.featureId === feature.id).map((row) => row.tagId));
    const removed = [...haveIds].filter((id) => !wantedIds.has(id));
    const added = [...wantedIds].filter((id) => !haveIds.has(id));
    if (removed.length === 0 && added.length === 0) continue;
    toRemove.push(...removed.map((tagId) => ({ featureId: feature.id, tagId })));
    toAdd.push(...added.map((tagId) => ({ featureId: feature.id, tagId })));
    const change = {
      featureId: feature.id,
      featureName: feature.name,
      added: added.map((id) => labelById.get(id)!),
      removed: removed.map((id) => labelById.get(id)!),
    };
    changes.push(change);
    await recordAudit(tx, actor, {
      organisationId: feature.organisation_id,
      projectId,
      featureId: feature.id,
      action: "UPDATE",
      entityType: "feature_tags",
      entityId: feature.id,
      summary: describeTagChange(change),
      changes: { gitlab_tags: { from: change.removed, to: change.added } },
    });
  }
  if (toRemove.length > 0) await tx.featureTag.deleteMany({ where: { OR: toRemove } });
  if (toAdd.length > 0) await tx.featureTag.createMany({ data: toAdd, skipDuplicates: true });
  return changes;
}

function describeTagChange(change: TagChange): string {
  const parts = [
    change.added.length ? `tagged ${change.featureName} ${change.added.join(", ")}` : "",
    change.removed.length
      ? `removed ${change.removed.join(", ")}${change.added.length ? "" : ` from ${change.featureName}`}`
      : "",
  ].filter(Boolean);
  const sentence = parts.join(" and ");
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}
