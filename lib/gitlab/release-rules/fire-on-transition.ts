import "server-only";
import type { Db } from "@/lib/db/types";
import { Prisma, type ReleaseTrigger } from "@/lib/generated/prisma/client";
import type { WebhookItem } from "@/lib/gitlab/webhooks/normalise-payload";
import { gitlabActorName, linkedUserForGitLabUsername } from "@/lib/organisations/gitlab-usernames";
import { fireReleaseRules } from "@/lib/release-rules/firings";

// GitLab's side of release rules: which state transitions of a linked issue or merge request fire
// which rule triggers. Called by the webhook pipeline inside the delivery's transaction, after the
// link rows were updated, with each link's state before the update — so only a real transition
// (the stored state changed) fires: a duplicate, a re-send or an out-of-order older event changes
// no state (the updated_at guard skips it) and fires nothing. The firing's unique (rule,
// transition) key is the second guard, for races and re-opened-then-closed-again items.

export interface LinkTransition {
  linkId: number;
  previousState: string;
}

/** Who did it, as the audit log and the status note show it. */
export interface DeliveryActor {
  username: string | null;
}

interface Attribution {
  /** " by @alice in GitLab", " by Alice Smith (@alice in GitLab)" (a linked member), " in GitLab". */
  byWhom: string;
  actorUserId: number | null;
}

const NOBODY: Attribution = { byWhom: " in GitLab", actorUserId: null };

async function attribution(db: Db, projectId: number | null, actor: DeliveryActor): Promise<Attribution> {
  if (!actor.username || projectId === null)
    return actor.username ? { ...NOBODY, byWhom: ` by @${actor.username} in GitLab` } : NOBODY;
  const project = await db.project.findUnique({ where: { id: projectId }, select: { organisationId: true } });
  const linked = project
    ? await linkedUserForGitLabUsername(db, project.organisationId, actor.username)
    : null;
  return linked
    ? { byWhom: ` by ${gitlabActorName(actor.username, linked)}`, actorUserId: linked.id }
    : { byWhom: ` by @${actor.username} in GitLab`, actorUserId: null };
}

/** The Flagpost project of the given links (all of one delivery's links share it). */
async function projectOfLinks(db: Db, linkIds: number[]): Promise<number | null> {
  const link = await db.externalResource.findFirst({
    where: { id: { in: linkIds } },
    select: { feature: { select: { projectId: true } } },
  });
  return link?.feature.projectId ?? null;
}

function triggersOf(item: WebhookItem): ReleaseTrigger[] {
  if (item.state === "merged") return ["MERGED"];
  // An issue closes; a merge request closed without merging fires both "closed" rules too.
  if (item.state === "closed") return ["CLOSED", "CLOSED_UNMERGED"];
  return [];
}

export async function fireRulesOnTransition(
  db: Db,
  item: WebhookItem,
  links: LinkTransition[],
  actor: DeliveryActor,
): Promise<number> {
  const changed = links.filter((link) => link.previousState !== item.state).map((link) => link.linkId);
  const triggers = triggersOf(item);
  if (changed.length === 0 || triggers.length === 0) return 0;
  const noun = item.type === "GITLAB_MR" ? `MR !${item.iid}` : `Issue #${item.iid}`;
  const verb =
    item.state === "merged" ? "merged" : item.type === "GITLAB_MR" ? "closed without merging" : "closed";
  // A merge request merges once; an issue may close, reopen and close again (each a transition).
  const when = item.updatedAt?.toISOString() ?? item.closedAt?.toISOString() ?? "unknown";
  const who = await attribution(db, await projectOfLinks(db, changed), actor);
  return fireReleaseRules(db, {
    linkIds: changed,
    triggers,
    transitionKey: item.state === "merged" ? "merged" : `closed@${when}`,
    cause: `${noun} ${verb}${who.byWhom}`,
    actorUserId: who.actorUserId,
  });
}

/**
 * GitLab's Revert button opens a new merge request ("This reverts merge request !N"); when it
 * merges, the reverted merge request's "closed unmerged or reverted" rules fire — once per rule.
 */
export async function fireRulesOnRevert(
  db: Db,
  projectId: number,
  item: WebhookItem,
  actor: DeliveryActor,
): Promise<number> {
  if (!item.revertsIid || item.type !== "GITLAB_MR" || item.state !== "merged") return 0;
  const project =
    item.gitlabProjectId !== null
      ? Prisma.sql`r.gitlab_project_id = ${item.gitlabProjectId}`
      : Prisma.sql`lower(r.gitlab_project_path) = lower(${item.projectPath})`;
  const links = await db.$queryRaw<{ id: number }[]>`
    SELECT r.id FROM external_resources r JOIN features f ON f.id = r.feature_id
    WHERE f.project_id = ${projectId} AND r.type = 'GITLAB_MR' AND r.iid = ${item.revertsIid} AND ${project}`;
  if (links.length === 0) return 0;
  const who = await attribution(db, projectId, actor);
  return fireReleaseRules(db, {
    linkIds: links.map((link) => link.id),
    triggers: ["CLOSED_UNMERGED"],
    transitionKey: "reverted",
    cause: `MR !${item.revertsIid} reverted by !${item.iid}${who.byWhom}`,
    actorUserId: who.actorUserId,
  });
}
