import "server-only";
import { prisma } from "@/lib/db/client";
import type { Db } from "@/lib/db/types";
import type { ExternalResourceType, GitLabIntegration } from "@/lib/generated/prisma/client";
import { gitlabClientForIntegration } from "@/lib/gitlab/client/client";
import { GitLabApiError, isGitLabRefusal } from "@/lib/gitlab/client/errors";
import { shortReference } from "@/lib/gitlab/links/item-reference";
import { kindOfType } from "@/lib/gitlab/links/link-metadata";
import { FLAGPOST_GITLAB_LABEL } from "@/lib/gitlab/links/system-tags";
import { z } from "zod";
import { integrationJobGroup } from "@/lib/gitlab/integration/job-group";
import { PermanentJobError } from "@/lib/jobs/errors";
import type { ClaimedJob } from "@/lib/jobs/queue";
import { enqueueJob } from "@/lib/jobs/queue";
import { defineJobKind } from "@/lib/jobs/registry";

// The "Flagpost" label on linked GitLab items. One job kind brings an item's label in line with
// its links, decided when the job runs (not when it was queued): labelled while a feature of the
// integration's project links it with tagging on; unlabelled once no feature in any Flagpost
// project connected to the same GitLab instance links it. Link, unlink and link again in a burst
// coalesce into one job that does the right thing, and jobs of one item never run at once.

export const ITEM_LABEL_JOB = "gitlab.item-label.sync";

export const itemLabelJob = defineJobKind(
  ITEM_LABEL_JOB,
  z.object({
    integrationId: z.number().int(),
    gitlabProjectId: z.number().int(),
    type: z.enum(["GITLAB_ISSUE", "GITLAB_MR"]),
    iid: z.number().int(),
  }),
);

interface ItemIdentity {
  gitlabProjectId: number;
  type: ExternalResourceType;
  iid: number;
}

function itemConcurrencyKey(integrationId: number, item: ItemIdentity): string {
  return `gitlab-item:${integrationId}:${item.gitlabProjectId}:${kindOfType(item.type)}:${item.iid}`;
}

/** Queues the label sync of an item, in the transaction that changed its links (outbox). */
export function enqueueItemLabelSync(
  tx: Db,
  integration: Pick<GitLabIntegration, "id" | "projectId">,
  item: ItemIdentity,
): Promise<void> {
  return enqueueJob(tx, {
    kind: ITEM_LABEL_JOB,
    payload: {
      integrationId: integration.id,
      gitlabProjectId: item.gitlabProjectId,
      type: item.type,
      iid: item.iid,
    },
    projectId: integration.projectId,
    groupKey: integrationJobGroup(integration.id),
    concurrencyKey: itemConcurrencyKey(integration.id, item),
    coalesce: true,
  });
}

/** What the label should be now: "add", "remove", or null to leave it (another project still links it). */
async function wantedLabel(
  integration: GitLabIntegration,
  item: ItemIdentity,
): Promise<"add" | "remove" | null> {
  const identity = { gitlabProjectId: item.gitlabProjectId, type: item.type, iid: item.iid };
  const linkedHere = await prisma.externalResource.count({
    where: { ...identity, feature: { projectId: integration.projectId } },
  });
  if (linkedHere > 0) return integration.taggingEnabled ? "add" : null;
  // GitLab project ids are per instance: only links through integrations on this instance count.
  const linkedElsewhere = await prisma.externalResource.count({
    where: {
      ...identity,
      feature: {
        project: {
          gitlabIntegrations: {
            some: { liveProjectId: { not: null }, instanceUrl: integration.instanceUrl },
          },
        },
      },
    },
  });
  return linkedElsewhere > 0 ? null : "remove";
}

export async function syncItemLabel(job: ClaimedJob<z.infer<typeof itemLabelJob.payload>>): Promise<void> {
  const item = job.payload;
  const integration = await prisma.gitLabIntegration.findUnique({ where: { id: item.integrationId } });
  // A deleted integration's token is gone; nothing can be done in GitLab any more.
  if (!integration || integration.deletedAt) return;
  const wanted = await wantedLabel(integration, item);
  if (!wanted) return;
  const client = gitlabClientForIntegration(integration);
  const items = item.type === "GITLAB_MR" ? client.mergeRequests : client.issues;
  const name = `${shortReference(kindOfType(item.type), item.iid)} in GitLab project ${item.gitlabProjectId}`;

  if (wanted === "remove") {
    try {
      await items.editLabels(item.gitlabProjectId, item.iid, { remove: [FLAGPOST_GITLAB_LABEL.name] });
    } catch (error) {
      // Gone from GitLab (or hidden from the token): there is no label left to remove.
      if (error instanceof GitLabApiError && error.status === 404) return;
      if (isGitLabRefusal(error))
        throw new PermanentJobError(
          `GitLab refused to remove the "${FLAGPOST_GITLAB_LABEL.name}" label from ${name}: the token's role on the project is too low.`,
        );
      throw error;
    }
    return;
  }

  try {
    await client.labels.create(item.gitlabProjectId, FLAGPOST_GITLAB_LABEL);
  } catch (error) {
    if (isGitLabRefusal(error)) {
      throw new PermanentJobError(
        `GitLab refused to create the "${FLAGPOST_GITLAB_LABEL.name}" label in GitLab project ${item.gitlabProjectId}: the integration's token needs at least the Reporter role there to manage labels.`,
      );
    }
    throw error;
  }
  try {
    await items.editLabels(item.gitlabProjectId, item.iid, { add: [FLAGPOST_GITLAB_LABEL.name] });
  } catch (error) {
    if (error instanceof GitLabApiError && error.status === 404)
      throw new PermanentJobError(
        `${name} no longer exists in GitLab or is hidden from the integration's token.`,
      );
    if (isGitLabRefusal(error))
      throw new PermanentJobError(
        `GitLab refused to label ${name}: the token's role on the project is too low.`,
      );
    throw error;
  }
}
