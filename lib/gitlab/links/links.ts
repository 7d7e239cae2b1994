import "server-only";
import { ApiError, notFound, uniqueViolationFields } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/actor";
import { requireProjectRole } from "@/lib/auth/permissions";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { prisma } from "@/lib/db/client";
import type {
  ExternalResource,
  ExternalResourceType,
  GitLabIntegration,
} from "@/lib/generated/prisma/client";
import { syncFeatureGitLabTags } from "@/lib/gitlab/links/feature-tags";
import { askGitLab, findLiveIntegration, storedTokenClient } from "@/lib/gitlab/integration/integrations";
import {
  ItemReferenceError,
  parseItemReference,
  shortReference,
  type ItemReference,
} from "@/lib/gitlab/links/item-reference";
import { enqueueItemLabelSync } from "@/lib/gitlab/links/link-labels";
import {
  fullReference,
  metadataColumns,
  metadataData,
  typeOfKind,
  type GitLabItem,
  type LinkView,
} from "@/lib/gitlab/links/link-metadata";
import { refreshLinks } from "@/lib/gitlab/links/link-refresh";
import type { LinkItemInput } from "@/lib/validations/gitlab";

// A feature's links to GitLab issues and merge requests (the Links tab and the
// feature-external-resources endpoints). Linking checks the item with GitLab and stores it under
// its durable identity (numeric project id, kind, iid) with its metadata; the feature's GitLab tags
// follow in the same transaction, and the "Flagpost" label in GitLab is left to a background job.

const KIND_NAMES: Record<ExternalResourceType, string> = {
  GITLAB_ISSUE: "an issue",
  GITLAB_MR: "a merge request",
};

async function requireFeature(projectId: number, featureId: number) {
  const feature = await prisma.feature.findFirst({
    where: { id: featureId, projectId },
    select: { id: true, name: true },
  });
  if (!feature) throw notFound("Feature");
  return feature;
}

export function requireIntegration(integration: GitLabIntegration | null): GitLabIntegration {
  if (!integration)
    throw new ApiError(
      "bad_request",
      "This project has no GitLab integration: connect GitLab in the project settings first",
      { reason: "no_integration" },
    );
  return integration;
}

const newestFirst = [{ createdAt: "desc" as const }, { id: "desc" as const }];

/** The feature's links, newest first, with metadata re-read from GitLab when older than a minute (or always, when forced). */
export async function listFeatureLinks(
  actor: Actor,
  projectId: number,
  featureId: number,
  { force = false }: { force?: boolean } = {},
): Promise<LinkView[]> {
  await requireProjectRole(actor, projectId, "VIEWER");
  await requireFeature(projectId, featureId);
  const integration = await findLiveIntegration(prisma, projectId);
  if (force) requireIntegration(integration);
  const rows = await prisma.externalResource.findMany({ where: { featureId }, orderBy: newestFirst });
  return refreshLinks(integration, projectId, rows, { force });
}

/** Which item a pasted URL or reference names, checked against the requested type. */
function understand(
  input: LinkItemInput,
  integration: GitLabIntegration,
): ItemReference & { projectRef: string | number } {
  let reference: ItemReference;
  try {
    reference = parseItemReference(input.url, integration.instanceUrl);
  } catch (error) {
    if (error instanceof ItemReferenceError)
      throw new ApiError("bad_request", error.message, { field: "body.url" });
    throw error;
  }
  if (typeOfKind(reference.kind) !== input.type) {
    throw new ApiError(
      "bad_request",
      `${input.url.trim()} is ${KIND_NAMES[typeOfKind(reference.kind)]}, but the link was asked for as ${KIND_NAMES[input.type]} (type ${input.type}). Choose the matching type.`,
      { field: "body.type" },
    );
  }
  if (reference.projectPath) return { ...reference, projectRef: reference.projectPath };
  if (integration.gitlabProjectId === null) {
    throw new ApiError(
      "bad_request",
      `${shortReference(reference.kind, reference.iid)} means an item of the integration's linked GitLab project, but none is linked: paste the full URL instead.`,
      { field: "body.url" },
    );
  }
  return { ...reference, projectRef: integration.gitlabProjectId };
}

/** Reads the project (resolving a path to its numeric id) and the item from GitLab; 400/502 when it cannot. */
async function fetchItem(integration: GitLabIntegration, reference: ReturnType<typeof understand>) {
  const client = storedTokenClient(integration);
  const project = await askGitLab(integration, `GitLab project ${reference.projectRef}`, () =>
    typeof reference.projectRef === "string"
      ? client.projects.getByPath(reference.projectRef)
      : client.projects.get(reference.projectRef),
  );
  const what = `${project.pathWithNamespace}${shortReference(reference.kind, reference.iid)}`;
  const item = await askGitLab<GitLabItem>(
    integration,
    `${reference.kind === "merge_request" ? "Merge request" : "Issue"} ${what}`,
    () =>
      reference.kind === "merge_request"
        ? client.mergeRequests.get(project.id, reference.iid)
        : client.issues.get(project.id, reference.iid),
  );
  return { project, item };
}

const duplicateLink = (reference: string) =>
  new ApiError("conflict", `${reference} is already linked to this feature`, {
    fields: ["feature", "gitlab_project_id", "type", "iid"],
  });

export interface NewLink {
  organisationId: number;
  projectId: number;
  feature: { id: number; name: string };
  integration: Pick<GitLabIntegration, "id" | "projectId" | "taggingEnabled">;
  gitlabProject: { id: number; pathWithNamespace: string };
  type: ExternalResourceType;
  /** As GitLab just answered it. */
  item: GitLabItem;
  isCleanupIssue?: boolean;
  /** The audit summary; "Linked <item> to feature <name>" by default. */
  summary?: (reference: string) => string;
}

/**
 * Stores a link to an item read from GitLab, in one transaction: the row, its audit entry (which
 * queues the item's status note), the feature's GitLab tags and, with tagging on, the label job.
 * A link that already exists fails on the unique index (P2002) and stores nothing.
 */
export async function storeLink(actor: AuditActor, link: NewLink): Promise<ExternalResource> {
  const { feature, gitlabProject, item } = link;
  const name = fullReference({
    gitlabProjectPath: gitlabProject.pathWithNamespace,
    type: link.type,
    iid: item.iid,
  });
  return prisma.$transaction(async (tx) => {
    const created = await tx.externalResource.create({
      data: {
        featureId: feature.id,
        gitlabProjectId: gitlabProject.id,
        type: link.type,
        iid: item.iid,
        url: item.webUrl,
        gitlabProjectPath: gitlabProject.pathWithNamespace,
        ...metadataData(metadataColumns(item)),
        metadataRefreshedAt: new Date(),
        isCleanupIssue: link.isCleanupIssue ?? false,
      },
    });
    await recordAudit(tx, actor, {
      organisationId: link.organisationId,
      projectId: link.projectId,
      featureId: feature.id,
      action: "CREATE",
      entityType: "feature_external_resource",
      entityId: created.id,
      summary: link.summary?.(name) ?? `Linked ${name} to feature ${feature.name}`,
      changes: {
        linked_item: { from: null, to: name },
        url: { from: null, to: created.url },
        ...(link.isCleanupIssue ? { cleanup_issue: { from: null, to: true } } : {}),
      },
    });
    await syncFeatureGitLabTags(tx, link.projectId, [feature.id], actor);
    if (link.integration.taggingEnabled) await enqueueItemLabelSync(tx, link.integration, created);
    return created;
  });
}

export async function linkFeatureItem(
  actor: Actor,
  projectId: number,
  featureId: number,
  input: LinkItemInput,
): Promise<LinkView> {
  const { project } = await requireProjectRole(actor, projectId, "EDITOR");
  const feature = await requireFeature(projectId, featureId);
  const integration = requireIntegration(await findLiveIntegration(prisma, projectId));
  const reference = understand(input, integration);
  const { project: gitlabProject, item } = await fetchItem(integration, reference);
  const identity = { featureId, gitlabProjectId: gitlabProject.id, type: input.type, iid: item.iid };
  const name = fullReference({
    gitlabProjectPath: gitlabProject.pathWithNamespace,
    type: input.type,
    iid: item.iid,
  });
  // Answer the common duplicate plainly; the unique index settles two editors racing.
  if (
    await prisma.externalResource.findUnique({
      where: { featureId_gitlabProjectId_type_iid: identity },
      select: { id: true },
    })
  )
    throw duplicateLink(name);
  try {
    const row = await storeLink(actor, {
      organisationId: project.organisationId,
      projectId,
      feature,
      integration,
      gitlabProject,
      type: input.type,
      item,
    });
    return { row, stale: false };
  } catch (error) {
    if (uniqueViolationFields(error)) throw duplicateLink(name);
    throw error;
  }
}

export async function unlinkFeatureItem(
  actor: Actor,
  projectId: number,
  featureId: number,
  linkId: number,
): Promise<void> {
  const { project } = await requireProjectRole(actor, projectId, "EDITOR");
  const feature = await requireFeature(projectId, featureId);
  const link = await prisma.externalResource.findFirst({ where: { id: linkId, featureId } });
  if (!link) throw notFound("Linked item");
  const integration = await findLiveIntegration(prisma, projectId);
  const name = fullReference(link);
  await prisma.$transaction(async (tx) => {
    // deleteMany: a concurrent unlink of the same row is a no-op, not an error.
    const { count } = await tx.externalResource.deleteMany({ where: { id: link.id } });
    if (count === 0) return;
    await recordAudit(tx, actor, {
      organisationId: project.organisationId,
      projectId,
      featureId,
      action: "DELETE",
      entityType: "feature_external_resource",
      entityId: link.id,
      summary: `Unlinked ${name} from feature ${feature.name}`,
      changes: { linked_item: { from: name, to: null }, url: { from: link.url, to: null } },
    });
    await syncFeatureGitLabTags(tx, projectId, [featureId], actor);
    // The label may have been added while tagging was on: the job decides, when it runs, whether
    // any feature still links the item.
    if (integration) await enqueueItemLabelSync(tx, integration, link);
  });
}
