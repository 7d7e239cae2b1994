import "server-only";
import { ApiError, notFound, uniqueViolationFields } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/actor";
import { requireProjectRole } from "@/lib/auth/permissions";
import type { AuditActor } from "@/lib/audit/record-audit";
import { now } from "@/lib/clock";
import { prisma } from "@/lib/db/client";
import type { Db } from "@/lib/db/types";
import { env } from "@/lib/env";
import { fromStoredValue } from "@/lib/flags/flag-values";
import { staleLinkOf } from "@/lib/gitlab/cleanup/stale-flag-list";
import { evaluateStaleness } from "@/lib/flags/staleness";
import type { ExternalResource, GitLabIntegration } from "@/lib/generated/prisma/client";
import { serializeGitLabUser } from "@/lib/gitlab/integration/browse";
import {
  cleanupIssueBody,
  cleanupIssueTitle,
  type CleanupIssueFacts,
} from "@/lib/gitlab/cleanup/cleanup-issue-body";
import {
  ACCESS_LEVEL,
  gitlabClientForIntegration,
  type GitLabIssue,
  type GitLabProjectDetail,
} from "@/lib/gitlab/client/client";
import { GitLabApiError } from "@/lib/gitlab/client/errors";
import { askGitLab, findLiveIntegration, storedTokenClient } from "@/lib/gitlab/integration/integrations";
import { fullReference, serializeLink, type LinkView } from "@/lib/gitlab/links/link-metadata";
import { requireIntegration, storeLink } from "@/lib/gitlab/links/links";
import { PermanentJobError } from "@/lib/jobs/errors";
import { enqueueJob, type ClaimedJob } from "@/lib/jobs/queue";
import { defineJobKind } from "@/lib/jobs/registry";
import { integrationJobGroup } from "@/lib/gitlab/integration/job-group";
import { z } from "zod";
import { logger } from "@/lib/logger";
import type { CreateCleanupIssueInput } from "@/lib/validations/gitlab";
import { neutraliseQuickActions } from "@/lib/vcs/markdown";

// "Create cleanup issue": a GitLab issue asking for a flag's removal, written from what Flagpost
// knows, linked to the flag as its cleanup issue (so its status note, tags and label follow as for
// any link) and audited. Everything that can be refused is checked before GitLab is asked to
// create anything (integration, target project, the token's role, assignees' membership, an open
// cleanup issue), so a refusal leaves nothing behind. If storing the link fails after GitLab
// created the issue, a job (ids only) links it later: never an issue without its link.

export const CLEANUP_LINK_JOB = "gitlab.cleanup-issue.link";

export const cleanupLinkJob = defineJobKind(
  CLEANUP_LINK_JOB,
  z.object({
    integrationId: z.number().int(),
    featureId: z.number().int(),
    gitlabProjectId: z.number().int(),
    iid: z.number().int(),
  }),
);

const JOB_ACTOR: AuditActor = { kind: "system", label: "Flagpost (background job)" };

async function requireFeatureOf(projectId: number, featureId: number) {
  const feature = await prisma.feature.findFirst({
    where: { id: featureId, projectId },
    select: { id: true, name: true, description: true, projectId: true, isPermanent: true, archivedAt: true },
  });
  if (!feature) throw notFound("Feature");
  return feature;
}

type CleanupFeature = Awaited<ReturnType<typeof requireFeatureOf>>;

/** What the generated body says: the states per environment, the links, the stale reason. */
async function gatherFacts(
  feature: CleanupFeature,
  integration: GitLabIntegration,
): Promise<{ facts: CleanupIssueFacts; links: ExternalResource[] }> {
  const [states, overrides, links, project] = await Promise.all([
    prisma.featureState.findMany({
      where: { featureId: feature.id },
      include: { environment: { select: { name: true, apiKey: true } } },
      orderBy: { environmentId: "asc" },
    }),
    prisma.segmentOverride.count({ where: { featureId: feature.id } }),
    prisma.externalResource.findMany({
      where: { featureId: feature.id },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    }),
    prisma.project.findUniqueOrThrow({
      where: { id: feature.projectId },
      select: { staleFlagThresholdDays: true },
    }),
  ]);
  const verdict = evaluateStaleness(
    {
      isPermanent: feature.isPermanent,
      archivedAt: feature.archivedAt,
      links: links.map((link) => staleLinkOf(link, integration.gitlabProjectId)),
      states,
      segmentOverrideCount: overrides,
    },
    now(),
    project.staleFlagThresholdDays,
  );
  return {
    links,
    facts: {
      feature: {
        id: feature.id,
        projectId: feature.projectId,
        name: feature.name,
        description: feature.description,
      },
      environments: states.map((state) => ({
        name: state.environment.name,
        apiKey: state.environment.apiKey,
        enabled: state.enabled,
        value: fromStoredValue(state.valueType, state.value),
        updatedAt: state.updatedAt,
      })),
      segmentOverrideCount: overrides,
      links: links.map((link) => ({
        type: link.type,
        reference: fullReference(link),
        title: link.title,
        state: link.state,
        closedAt: link.closedAt,
        url: link.url,
        isCleanupIssue: link.isCleanupIssue,
      })),
      staleReason: verdict.stale ? verdict.reason : null,
      publicUrl: env().FLAGPOST_PUBLIC_URL,
    },
  };
}

const openCleanupIssueOf = (links: ExternalResource[]) =>
  links.findLast((link) => link.isCleanupIssue && link.state === "opened") ?? null;

/** The title and body the dialog starts from, the default GitLab project, and the open cleanup issue if there is one. */
export async function previewCleanupIssue(actor: Actor, projectId: number, featureId: number) {
  await requireProjectRole(actor, projectId, "EDITOR");
  const feature = await requireFeatureOf(projectId, featureId);
  const integration = requireIntegration(await findLiveIntegration(prisma, projectId));
  const { facts, links } = await gatherFacts(feature, integration);
  const open = openCleanupIssueOf(links);
  return {
    feature: feature.id,
    title: cleanupIssueTitle(feature.name),
    description: cleanupIssueBody(facts),
    gitlab_project_id: integration.gitlabProjectId,
    project_path: integration.gitlabProjectPath,
    open_cleanup_issue: open ? serializeLink({ row: open, stale: false }) : null,
  };
}

function roleTooLow(project: string, detail?: string): ApiError {
  return new ApiError(
    "bad_request",
    `GitLab refused to create the issue in ${project}: the integration's token needs at least the Reporter role there to create issues with labels and assignees${detail ? ` (GitLab said: ${detail})` : ""}.`,
    { reason: "insufficient_role" },
  );
}

/** Every assignee must be a member of the GitLab project: GitLab would drop the others without a word. */
async function assertMembers(
  integration: GitLabIntegration,
  gitlabProject: GitLabProjectDetail,
  userIds: number[],
): Promise<void> {
  if (userIds.length === 0) return;
  const client = storedTokenClient(integration);
  const members = await askGitLab(integration, `GitLab project ${gitlabProject.pathWithNamespace}`, () =>
    client.members.list(gitlabProject.id, { userIds, perPage: 100 }),
  );
  const missing = userIds.filter((id) => !members.items.some((member) => member.id === id));
  if (missing.length === 0) return;
  const who = missing.map((id) => `GitLab user ${id}`).join(", ");
  throw new ApiError(
    "unprocessable_entity",
    `${who} ${missing.length === 1 ? "is not a member" : "are not members"} of ${gitlabProject.pathWithNamespace}, so GitLab would not assign the issue to them. Choose assignees among the project's members.`,
    missing.map((id) => ({
      field: "body.assignee_ids",
      issue: `GitLab user ${id} is not a member of ${gitlabProject.pathWithNamespace}`,
      user_id: id,
    })),
  );
}

export interface CreatedCleanupIssue {
  issue: GitLabIssue;
  project: { id: number; pathWithNamespace: string };
  link: LinkView | null;
  linkPending: boolean;
  message: string;
}

function enqueueCleanupLink(
  db: Db,
  integration: Pick<GitLabIntegration, "id" | "projectId">,
  target: { featureId: number; gitlabProjectId: number; iid: number },
) {
  return enqueueJob(db, {
    kind: CLEANUP_LINK_JOB,
    payload: {
      integrationId: integration.id,
      featureId: target.featureId,
      gitlabProjectId: target.gitlabProjectId,
      iid: target.iid,
    },
    projectId: integration.projectId,
    groupKey: integrationJobGroup(integration.id),
    concurrencyKey: `cleanup-link:${target.featureId}:${target.gitlabProjectId}:${target.iid}`,
  });
}

export async function createCleanupIssue(
  actor: Actor,
  projectId: number,
  input: CreateCleanupIssueInput,
): Promise<CreatedCleanupIssue> {
  const { project } = await requireProjectRole(actor, projectId, "EDITOR");
  const feature = await requireFeatureOf(projectId, input.feature_id);
  if (feature.archivedAt)
    throw new ApiError(
      "bad_request",
      `Feature ${feature.name} is archived: restore it before asking for its cleanup.`,
      { field: "body.feature_id" },
    );
  const integration = requireIntegration(await findLiveIntegration(prisma, projectId));
  const gitlabProjectId = input.gitlab_project_id ?? integration.gitlabProjectId;
  if (gitlabProjectId === null) {
    throw new ApiError(
      "bad_request",
      "Choose the GitLab project to create the issue in (gitlab_project_id): the integration has no linked GitLab project.",
      {
        field: "body.gitlab_project_id",
      },
    );
  }
  if (!(await claimCleanupIssueCreation(feature.id))) {
    throw new ApiError(
      "conflict",
      `A cleanup issue for ${feature.name} is being created right now; reload to see it before creating another.`,
      {
        reason: "cleanup_issue_in_progress",
      },
    );
  }
  try {
    return await createClaimedCleanupIssue(
      actor,
      project.organisationId,
      feature,
      integration,
      gitlabProjectId,
      input,
    );
  } finally {
    await releaseCleanupIssueClaim(feature.id);
  }
}

// The claim is a lease on the feature row, taken and checked against the database's clock, so
// requests on any instance see it; a request that dies mid-way leaves a claim that simply expires.
const CLAIM_SECONDS = 60;

async function claimCleanupIssueCreation(featureId: number): Promise<boolean> {
  const claimed = await prisma.$executeRaw`
    UPDATE features SET cleanup_issue_claimed_until = now() + make_interval(secs => ${CLAIM_SECONDS})
    WHERE id = ${featureId} AND (cleanup_issue_claimed_until IS NULL OR cleanup_issue_claimed_until < now())`;
  return claimed === 1;
}

async function releaseCleanupIssueClaim(featureId: number): Promise<void> {
  await prisma.$executeRaw`UPDATE features SET cleanup_issue_claimed_until = NULL WHERE id = ${featureId}`.catch(
    (error: unknown) =>
      logger.warn("Could not release the cleanup-issue claim; it expires by itself", {
        feature: featureId,
        error,
      }),
  );
}

/** Everything after the claim: the duplicate check, GitLab's checks, the issue, its link. */
async function createClaimedCleanupIssue(
  actor: Actor,
  organisationId: number,
  feature: CleanupFeature,
  integration: GitLabIntegration,
  gitlabProjectId: number,
  input: CreateCleanupIssueInput,
): Promise<CreatedCleanupIssue> {
  const projectId = feature.projectId;
  const { facts, links } = await gatherFacts(feature, integration);
  const open = openCleanupIssueOf(links);
  if (open && !input.confirm_duplicate) {
    throw new ApiError(
      "conflict",
      `${feature.name} already has an open cleanup issue: ${fullReference(open)} (${open.url}). Send confirm_duplicate: true to create another anyway.`,
      { reason: "cleanup_issue_open", open_cleanup_issue: serializeLink({ row: open, stale: false }) },
    );
  }

  const client = storedTokenClient(integration);
  const gitlabProject = await askGitLab(integration, `GitLab project ${gitlabProjectId}`, () =>
    client.projects.get(gitlabProjectId),
  );
  // Below Reporter GitLab creates the issue but silently drops its labels and assignees.
  if (gitlabProject.accessLevel !== null && gitlabProject.accessLevel < ACCESS_LEVEL.reporter)
    throw roleTooLow(gitlabProject.pathWithNamespace);
  await assertMembers(integration, gitlabProject, input.assignee_ids);

  const issue = await askGitLab(
    integration,
    `GitLab project ${gitlabProject.pathWithNamespace}`,
    async () => {
      try {
        return await client.issues.create(gitlabProject.id, {
          title: input.title ?? cleanupIssueTitle(feature.name),
          // Kept as written (plain Markdown), except lines GitLab would run as quick actions.
          description: neutraliseQuickActions(input.description ?? cleanupIssueBody(facts)),
          assigneeIds: input.assignee_ids,
          labels: input.labels,
        });
      } catch (error) {
        if (error instanceof GitLabApiError && error.status === 403 && !error.isAuthFailure)
          throw roleTooLow(gitlabProject.pathWithNamespace, error.gitlabMessage);
        throw error;
      }
    },
  );
  const reference = `${gitlabProject.pathWithNamespace}#${issue.iid}`;

  try {
    const row = await storeLink(actor, {
      organisationId,
      projectId,
      feature,
      integration,
      gitlabProject,
      type: "GITLAB_ISSUE",
      item: issue,
      isCleanupIssue: true,
      summary: (name) => `Created cleanup issue ${name} for feature ${feature.name}`,
    });
    return {
      issue,
      project: gitlabProject,
      link: { row, stale: false },
      linkPending: false,
      message: `Created ${reference} and linked it to ${feature.name}.`,
    };
  } catch (error) {
    logger.warn(
      "The cleanup issue was created in GitLab but could not be linked; retrying from the job queue",
      { feature: feature.id, issue: reference, error },
    );
  }
  try {
    await enqueueCleanupLink(prisma, integration, {
      featureId: feature.id,
      gitlabProjectId: gitlabProject.id,
      iid: issue.iid,
    });
    return {
      issue,
      project: gitlabProject,
      link: null,
      linkPending: true,
      message: `Created ${reference}; linking it to ${feature.name} failed and will be retried in the background.`,
    };
  } catch (error) {
    logger.error("The cleanup issue was created in GitLab but neither linked nor queued for linking", {
      feature: feature.id,
      issue: reference,
      error,
    });
    return {
      issue,
      project: gitlabProject,
      link: null,
      linkPending: false,
      message: `Created ${reference}, but it could not be linked to ${feature.name}: link it on the feature's Links tab.`,
    };
  }
}

export function serializeCreatedCleanupIssue(created: CreatedCleanupIssue) {
  const { issue, project } = created;
  return {
    issue: {
      id: issue.id,
      iid: issue.iid,
      title: issue.title,
      state: issue.state,
      web_url: issue.webUrl,
      reference: `#${issue.iid}`,
      full_reference: `${project.pathWithNamespace}#${issue.iid}`,
      gitlab_project_id: project.id,
      project_path: project.pathWithNamespace,
      labels: issue.labels,
      assignees: issue.assignees.map(serializeGitLabUser),
    },
    link: created.link ? serializeLink(created.link) : null,
    link_pending: created.linkPending,
    message: created.message,
  };
}

/** The job that links a cleanup issue whose link could not be stored when it was created. */
export async function linkCleanupIssue(
  job: ClaimedJob<z.infer<typeof cleanupLinkJob.payload>>,
): Promise<void> {
  const target = job.payload;
  const integration = await prisma.gitLabIntegration.findUnique({ where: { id: target.integrationId } });
  const feature = await prisma.feature.findUnique({
    where: { id: target.featureId },
    select: { id: true, name: true, projectId: true, project: { select: { organisationId: true } } },
  });
  // Gone meanwhile: there is nothing to link to, or no token to read the issue with.
  if (!feature || !integration || integration.deletedAt || integration.projectId !== feature.projectId)
    return;
  const identity = {
    featureId: feature.id,
    gitlabProjectId: target.gitlabProjectId,
    type: "GITLAB_ISSUE" as const,
    iid: target.iid,
  };
  const existing = await prisma.externalResource.findUnique({
    where: { featureId_gitlabProjectId_type_iid: identity },
  });
  if (existing) {
    if (!existing.isCleanupIssue)
      await prisma.externalResource.update({ where: { id: existing.id }, data: { isCleanupIssue: true } });
    return;
  }
  const client = gitlabClientForIntegration(integration);
  const what = `Issue #${target.iid} of GitLab project ${target.gitlabProjectId}`;
  let gitlabProject: GitLabProjectDetail;
  let issue: GitLabIssue;
  try {
    gitlabProject = await client.projects.get(target.gitlabProjectId);
    issue = await client.issues.get(target.gitlabProjectId, target.iid);
  } catch (error) {
    if (error instanceof GitLabApiError && error.status === 404)
      throw new PermanentJobError(
        `${what} no longer exists or is hidden from the integration's token; it was not linked.`,
      );
    throw error;
  }
  try {
    await storeLink(JOB_ACTOR, {
      organisationId: feature.project.organisationId,
      projectId: feature.projectId,
      feature,
      integration,
      gitlabProject,
      type: "GITLAB_ISSUE",
      item: issue,
      isCleanupIssue: true,
      summary: (name) =>
        `Linked cleanup issue ${name} to feature ${feature.name} (retried after the first attempt failed)`,
    });
  } catch (error) {
    // Linked by someone else meanwhile: done.
    if (!uniqueViolationFields(error)) throw error;
  }
}
