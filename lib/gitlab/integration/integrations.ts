import "server-only";
import { randomBytes } from "node:crypto";
import { ApiError, notFound } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/actor";
import { hasProjectRole, requireProjectRole, type ProjectAccess } from "@/lib/auth/permissions";
import { changedFields, recordAudit, type AuditChanges } from "@/lib/audit/record-audit";
import { decryptSecret, encryptSecret, SecretKeyMismatchError } from "@/lib/crypto/secret-box";
import { prisma } from "@/lib/db/client";
import type { Db } from "@/lib/db/types";
import { env } from "@/lib/env";
import type { GitLabIntegration, Prisma } from "@/lib/generated/prisma/client";
import {
  ACCESS_LEVEL,
  gitlabClientForIntegration,
  type GitLabClient,
  type GitLabProjectDetail,
  type HookInput,
} from "@/lib/gitlab/client/client";
import { checkCredentials, checkProject, type TokenFacts } from "@/lib/gitlab/integration/connection-check";
import { gitLabErrorToApiError, GitLabApiError } from "@/lib/gitlab/client/errors";
import { normaliseInstanceUrl, InstanceUrlError } from "@/lib/gitlab/client/instance-url";
import { ensureGitLabSystemTags } from "@/lib/gitlab/links/system-tags";
import { integrationJobGroup } from "@/lib/gitlab/integration/job-group";
import { deleteGroupJobs } from "@/lib/jobs/queue";
import { logger } from "@/lib/logger";
import type { CreateGitLabIntegrationInput, UpdateGitLabIntegrationInput } from "@/lib/validations/gitlab";

// A project's GitLab connection: one live configuration per project (soft-deleted, so deleting and
// connecting again works). The access token and webhook secret are stored encrypted; the token is
// never returned, the secret only to project admins. Every change is checked against GitLab before
// it is saved, and audited without secrets.

/** Tokens expiring within this many days are flagged so someone rotates them in time. */
const TOKEN_EXPIRY_WARNING_DAYS = 14;

/** Where GitLab delivers this project's webhooks. */
function webhookUrl(projectId: number): string {
  return `${env().FLAGPOST_PUBLIC_URL}/api/v1/gitlab-webhook/${projectId}/`;
}

/** The project hook GitLab should have: our URL and secret (no certificate to verify on plain http). */
export function hookInput(projectId: number, secret: string): HookInput {
  const url = webhookUrl(projectId);
  return { url, token: secret, enableSslVerification: !url.startsWith("http:") };
}

function generateWebhookSecret(): string {
  return randomBytes(24).toString("base64url");
}

export interface IntegrationView {
  integration: GitLabIntegration;
  /** Project admins see the webhook secret. */
  showSecret: boolean;
  /** GitLab issues and merge requests linked to the project's features. */
  linkedItems: number;
  /** Jobs waiting to reach GitLab, counted only while it is unreachable (0 otherwise). */
  waitingJobs?: number;
}

function dateOnly(date: Date | null): string | null {
  return date ? date.toISOString().slice(0, 10) : null;
}

function expiresSoon(expiresAt: Date | null, now: Date = new Date()): boolean {
  if (!expiresAt) return false;
  return expiresAt.getTime() - now.getTime() <= TOKEN_EXPIRY_WARNING_DAYS * 24 * 60 * 60 * 1000;
}

function readSecret(sealed: string): string | null {
  try {
    return decryptSecret(sealed);
  } catch (error) {
    if (error instanceof SecretKeyMismatchError) return null;
    throw error;
  }
}

export function serializeIntegration({
  integration: row,
  showSecret,
  linkedItems,
  waitingJobs = 0,
}: IntegrationView) {
  return {
    id: row.id,
    project: row.projectId,
    gitlab_instance_url: row.instanceUrl,
    gitlab_project_id: row.gitlabProjectId,
    project_name: row.gitlabProjectPath,
    tagging_enabled: row.taggingEnabled,
    comment_style: row.commentStyle,
    release_rules_enabled: row.releaseRulesEnabled,
    commands_enabled: row.commandsEnabled,
    commands_ignore_internal: row.commandsIgnoreInternal,
    commands_on_confidential: row.commandsOnConfidential,
    // Environment id → minimum GitLab access level (30 Developer, 40 Maintainer, 50 Owner).
    command_roles: row.commandRoles as Record<string, number>,
    webhook_url: webhookUrl(row.projectId),
    webhook_secret: showSecret ? readSecret(row.encryptedWebhookSecret) : null,
    webhook_registered: row.gitlabHookId !== null,
    can_manage_webhooks:
      row.gitlabProjectId !== null && (row.gitlabAccessLevel ?? 0) >= ACCESS_LEVEL.maintainer,
    gitlab_access_level: row.gitlabAccessLevel,
    token: {
      name: row.tokenName,
      scopes: row.tokenScopes,
      expires_at: dateOnly(row.tokenExpiresAt),
      expires_soon: expiresSoon(row.tokenExpiresAt),
      user:
        row.tokenUserId === null
          ? null
          : { id: row.tokenUserId, username: row.tokenUsername, bot: row.tokenUserIsBot },
      status: row.tokenStatus,
      status_reason: row.tokenStatusReason,
      checked_at: row.tokenCheckedAt?.toISOString() ?? null,
    },
    linked_items_count: linkedItems,
    // Set while GitLab does not answer the integration's jobs: "GitLab unreachable since …, N
    // updates waiting" (they go out as soon as it answers again).
    gitlab_unreachable:
      row.unreachableSince === null
        ? null
        : { since: row.unreachableSince.toISOString(), waiting_jobs: waitingJobs },
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/** The project's live integration, or null. */
export function findLiveIntegration(db: Db, projectId: number) {
  return db.gitLabIntegration.findUnique({ where: { liveProjectId: projectId } });
}

/** The project's live integration with this id; 404 otherwise (also once deleted). */
export async function requireLiveIntegration(
  db: Db,
  projectId: number,
  integrationId: number,
): Promise<GitLabIntegration> {
  const integration = await findLiveIntegration(db, projectId);
  if (!integration || integration.id !== integrationId) throw notFound("GitLab integration");
  return integration;
}

function countLinkedItems(db: Db, projectId: number) {
  return db.externalResource.count({ where: { feature: { projectId } } });
}

async function view(access: ProjectAccess, integration: GitLabIntegration): Promise<IntegrationView> {
  return {
    integration,
    showSecret: hasProjectRole(access, "ADMIN"),
    linkedItems: await countLinkedItems(prisma, integration.projectId),
    waitingJobs:
      integration.unreachableSince === null
        ? 0
        : await prisma.job.count({
            where: { groupKey: integrationJobGroup(integration.id), status: { in: ["PENDING", "RUNNING"] } },
          }),
  };
}

/** The token facts columns, from what GitLab said about the token. */
function tokenColumns(facts: TokenFacts) {
  return {
    tokenName: facts.token?.name ?? null,
    tokenScopes: facts.token?.scopes ?? [],
    tokenExpiresAt: facts.token?.expiresAt ? new Date(`${facts.token.expiresAt}T00:00:00Z`) : null,
    tokenUserId: facts.user.id,
    tokenUsername: facts.user.username,
    tokenUserIsBot: facts.user.bot,
    tokenStatus: "VALID" as const,
    tokenStatusReason: null,
    tokenCheckedAt: new Date(),
  };
}

function projectColumns(project: GitLabProjectDetail | null) {
  return {
    gitlabProjectId: project?.id ?? null,
    gitlabProjectPath: project?.pathWithNamespace ?? null,
    gitlabAccessLevel: project?.accessLevel ?? null,
  };
}

/** The fields of an integration that audit rows may show (never the token or the secret). */
function auditable(row: GitLabIntegration) {
  return {
    gitlab_instance_url: row.instanceUrl,
    gitlab_project_id: row.gitlabProjectId,
    project_name: row.gitlabProjectPath,
    tagging_enabled: row.taggingEnabled,
    comment_style: row.commentStyle,
    release_rules_enabled: row.releaseRulesEnabled,
    commands_enabled: row.commandsEnabled,
    commands_ignore_internal: row.commandsIgnoreInternal,
    commands_on_confidential: row.commandsOnConfidential,
    command_roles: row.commandRoles as Prisma.InputJsonValue,
    token_name: row.tokenName,
    token_expires_at: dateOnly(row.tokenExpiresAt),
  };
}

const duplicate = () =>
  new ApiError(
    "conflict",
    "This project already has a GitLab integration; change or delete that one instead.",
    { fields: ["project"] },
  );

export async function listIntegrations(actor: Actor, projectId: number): Promise<IntegrationView[]> {
  const access = await requireProjectRole(actor, projectId, "VIEWER");
  const integration = await findLiveIntegration(prisma, projectId);
  return integration ? [await view(access, integration)] : [];
}

export async function getIntegration(
  actor: Actor,
  projectId: number,
  integrationId: number,
): Promise<IntegrationView> {
  const access = await requireProjectRole(actor, projectId, "VIEWER");
  return view(access, await requireLiveIntegration(prisma, projectId, integrationId));
}

export async function createIntegration(
  actor: Actor,
  projectId: number,
  input: CreateGitLabIntegrationInput,
): Promise<IntegrationView> {
  const access = await requireProjectRole(actor, projectId, "ADMIN");
  // Answer a duplicate before asking GitLab anything; the unique index settles races.
  if (await findLiveIntegration(prisma, projectId)) throw duplicate();
  const facts = await checkCredentials(input.gitlab_instance_url, input.access_token);
  const project = input.gitlab_project_id ? await checkProject(facts.client, input.gitlab_project_id) : null;
  const taggingEnabled = input.tagging_enabled ?? false;
  try {
    const integration = await prisma.$transaction(async (tx) => {
      const row = await tx.gitLabIntegration.create({
        data: {
          projectId,
          liveProjectId: projectId,
          instanceUrl: facts.instanceUrl,
          encryptedToken: encryptSecret(input.access_token),
          encryptedWebhookSecret: encryptSecret(input.webhook_secret ?? generateWebhookSecret()),
          taggingEnabled,
          ...projectColumns(project),
          ...tokenColumns(facts),
        },
      });
      if (taggingEnabled) await ensureGitLabSystemTags(tx, projectId);
      await recordAudit(tx, actor, {
        organisationId: access.project.organisationId,
        projectId,
        action: "CREATE",
        entityType: "gitlab_integration",
        entityId: row.id,
        summary: `Connected GitLab at ${row.instanceUrl}${row.gitlabProjectPath ? ` (${row.gitlabProjectPath})` : ""}`,
        changes: changedFields({}, auditable(row)),
      });
      return row;
    });
    return view(access, integration);
  } catch (error) {
    if (
      error instanceof Error &&
      error.name === "PrismaClientKnownRequestError" &&
      (error as { code?: string }).code === "P2002"
    )
      throw duplicate();
    throw error;
  }
}

/** A client with the integration's stored token; a token sealed under another key asks for rotation. */
export function storedTokenClient(integration: GitLabIntegration): GitLabClient {
  try {
    return gitlabClientForIntegration(integration);
  } catch (error) {
    if (error instanceof SecretKeyMismatchError)
      throw new ApiError("bad_request", error.message, {
        reason: "secret_key_mismatch",
        field: "access_token",
      });
    throw error;
  }
}

/**
 * Runs a GitLab call made on behalf of an API request and maps its failure to the API error to
 * answer; a token GitLab rejects is marked invalid for the settings page.
 */
export async function askGitLab<T>(
  integration: GitLabIntegration,
  what: string,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof GitLabApiError && error.status === 401) {
      await prisma.gitLabIntegration.update({
        where: { id: integration.id },
        data: {
          tokenStatus: "INVALID",
          tokenStatusReason: `GitLab answered 401: ${error.gitlabMessage}`,
          tokenCheckedAt: new Date(),
        },
      });
    }
    throw gitLabErrorToApiError(error, what);
  }
}

/** Removes a hook Flagpost registered; a hook already gone counts as removed. */
export async function removeHook(
  client: GitLabClient,
  gitlabProjectId: number,
  hookId: number,
): Promise<void> {
  try {
    await client.hooks.remove(gitlabProjectId, hookId);
  } catch (error) {
    if (!(error instanceof GitLabApiError && error.status === 404)) throw error;
  }
}

/** Best effort: a GitLab that cannot be reached must not keep an integration from being changed or deleted. */
async function tryRemoveHook(
  client: () => GitLabClient,
  integration: GitLabIntegration,
  gitlabProjectId: number,
  hookId: number,
): Promise<boolean> {
  try {
    await removeHook(client(), gitlabProjectId, hookId);
    return true;
  } catch (error) {
    logger.warn("Could not remove the GitLab webhook Flagpost registered", {
      integration: integration.id,
      gitlabProjectId,
      hookId,
      error,
    });
    return false;
  }
}

/** The instance URL after the update; moving instance needs a token from the new one. */
function updatedInstanceUrl(before: GitLabIntegration, input: UpdateGitLabIntegrationInput): string {
  let instanceUrl = before.instanceUrl;
  if (input.gitlab_instance_url !== undefined) {
    try {
      instanceUrl = normaliseInstanceUrl(input.gitlab_instance_url);
    } catch (error) {
      if (error instanceof InstanceUrlError)
        throw new ApiError("bad_request", error.message, {
          reason: "invalid_url",
          field: "gitlab_instance_url",
        });
      throw error;
    }
  }
  // The stored token must never be sent to a host it was not made for.
  if (instanceUrl !== before.instanceUrl && !input.access_token) {
    throw new ApiError(
      "bad_request",
      "Changing the GitLab instance URL needs a new access token from that instance.",
      {
        reason: "token_required",
        field: "access_token",
      },
    );
  }
  return instanceUrl;
}

/**
 * Keeps the registered webhook in step before the row changes: removed from a project being
 * unlinked (best effort, said in the audit summary), its secret updated when the secret changes.
 */
async function reconcileHook(
  before: GitLabIntegration,
  client: () => GitLabClient,
  change: {
    projectId: number;
    projectChanged: boolean;
    instanceChanged: boolean;
    newSecret: string | undefined;
  },
): Promise<{ hookId: number | null; hookNote: string }> {
  const hookId = before.gitlabHookId;
  if (hookId === null || before.gitlabProjectId === null) return { hookId, hookNote: "" };
  if (change.projectChanged) {
    // The hook lives on the project being unlinked (on the old instance, reached with the old token).
    const removed = await tryRemoveHook(
      change.instanceChanged ? () => storedTokenClient(before) : client,
      before,
      before.gitlabProjectId,
      hookId,
    );
    return {
      hookId: null,
      hookNote: removed
        ? "; removed the webhook from the previous project"
        : "; could not remove the webhook from the previous project",
    };
  }
  if (change.newSecret !== undefined) {
    // Keep the registered hook in step, or deliveries would start failing the secret check.
    try {
      await client().hooks.edit(
        before.gitlabProjectId,
        hookId,
        hookInput(change.projectId, change.newSecret),
      );
    } catch (error) {
      throw gitLabErrorToApiError(error, "The webhook Flagpost registered");
    }
  }
  return { hookId, hookNote: "" };
}

export async function updateIntegration(
  actor: Actor,
  projectId: number,
  integrationId: number,
  input: UpdateGitLabIntegrationInput,
): Promise<IntegrationView> {
  const access = await requireProjectRole(actor, projectId, "ADMIN");
  const before = await requireLiveIntegration(prisma, projectId, integrationId);
  const instanceUrl = updatedInstanceUrl(before, input);
  const instanceChanged = instanceUrl !== before.instanceUrl;

  const rotated = input.access_token ? await checkCredentials(instanceUrl, input.access_token) : null;
  let storedClient: GitLabClient | undefined;
  const client = (): GitLabClient => rotated?.client ?? (storedClient ??= storedTokenClient(before));

  // A project id means nothing on another instance: moving instance unlinks unless a project is named.
  const wanted =
    input.gitlab_project_id !== undefined
      ? input.gitlab_project_id
      : instanceChanged
        ? null
        : before.gitlabProjectId;
  const projectChanged = instanceChanged || wanted !== before.gitlabProjectId;
  // A new project is checked; so is the linked one when the token changes (the new token must see it).
  let project: GitLabProjectDetail | null | undefined;
  if (wanted !== null && (projectChanged || rotated)) project = await checkProject(client(), wanted);
  else if (wanted === null) project = null;

  const newSecret =
    input.webhook_secret !== undefined && input.webhook_secret !== readSecret(before.encryptedWebhookSecret)
      ? input.webhook_secret
      : undefined;
  const { hookId, hookNote } = await reconcileHook(before, client, {
    projectId,
    projectChanged,
    instanceChanged,
    newSecret,
  });

  const turningTaggingOn = input.tagging_enabled === true && !before.taggingEnabled;
  const integration = await prisma.$transaction(async (tx) => {
    const row = await tx.gitLabIntegration.update({
      where: { id: before.id },
      data: {
        instanceUrl,
        taggingEnabled: input.tagging_enabled,
        commentStyle: input.comment_style,
        releaseRulesEnabled: input.release_rules_enabled,
        commandsEnabled: input.commands_enabled,
        commandsIgnoreInternal: input.commands_ignore_internal,
        commandsOnConfidential: input.commands_on_confidential,
        ...(input.command_roles ? { commandRoles: await commandRoles(projectId, input.command_roles) } : {}),
        gitlabHookId: hookId,
        ...(newSecret !== undefined ? { encryptedWebhookSecret: encryptSecret(newSecret) } : {}),
        ...(rotated ? { encryptedToken: encryptSecret(input.access_token!), ...tokenColumns(rotated) } : {}),
        ...(project !== undefined ? projectColumns(project) : {}),
      },
    });
    if (turningTaggingOn) await ensureGitLabSystemTags(tx, projectId);
    const changes: AuditChanges = changedFields(auditable(before), auditable(row));
    if (rotated) changes.access_token = { from: "[previous token]", to: "[new token]" };
    if (newSecret !== undefined) changes.webhook_secret = { from: "[previous secret]", to: "[new secret]" };
    if (Object.keys(changes).length > 0 || hookNote) {
      await recordAudit(tx, actor, {
        organisationId: access.project.organisationId,
        projectId,
        action: "UPDATE",
        entityType: "gitlab_integration",
        entityId: row.id,
        summary: `${rotated ? "Rotated the access token of" : "Updated"} the GitLab integration${hookNote}`,
        changes,
      });
    }
    return row;
  });
  return view(access, integration);
}

export async function deleteIntegration(
  actor: Actor,
  projectId: number,
  integrationId: number,
): Promise<void> {
  const access = await requireProjectRole(actor, projectId, "ADMIN");
  const integration = await requireLiveIntegration(prisma, projectId, integrationId);
  let hookRemoved: boolean | null = null;
  if (integration.gitlabHookId !== null && integration.gitlabProjectId !== null) {
    hookRemoved = await tryRemoveHook(
      () => storedTokenClient(integration),
      integration,
      integration.gitlabProjectId,
      integration.gitlabHookId,
    );
  }
  await prisma.$transaction(async (tx) => {
    // The row stays for the audit trail; its secrets do not.
    await tx.gitLabIntegration.update({
      where: { id: integration.id },
      data: {
        deletedAt: new Date(),
        liveProjectId: null,
        gitlabHookId: null,
        encryptedToken: "",
        encryptedWebhookSecret: "",
      },
    });
    // Its jobs go with it: nothing in the queue may wait for an integration that is gone.
    await deleteGroupJobs(tx, integrationJobGroup(integration.id));
    const links = await tx.externalResource.deleteMany({ where: { feature: { projectId } } });
    const tags = await tx.featureTag.deleteMany({ where: { tag: { projectId, type: "GITLAB" } } });
    await recordAudit(tx, actor, {
      organisationId: access.project.organisationId,
      projectId,
      action: "DELETE",
      entityType: "gitlab_integration",
      entityId: integration.id,
      summary:
        `Deleted the GitLab integration (${integration.instanceUrl}): removed ${links.count} linked GitLab item(s) and ${tags.count} GitLab tag assignment(s)` +
        (hookRemoved === false ? "; the webhook Flagpost registered could not be removed from GitLab" : ""),
      changes: {
        ...changedFields(
          auditable(integration),
          Object.fromEntries(Object.keys(auditable(integration)).map((field) => [field, null])),
        ),
        linked_items: { from: links.count, to: 0 },
        ...(hookRemoved !== null ? { webhook_removed: { from: null, to: hookRemoved } } : {}),
      },
    });
  });
}

const ROLE_LEVELS = { developer: 30, maintainer: 40, owner: 50 } as const;

/** Command roles by environment api_key → by environment id (the keys must be this project's). */
async function commandRoles(
  projectId: number,
  roles: Record<string, keyof typeof ROLE_LEVELS>,
): Promise<Record<string, number>> {
  const environments = await prisma.environment.findMany({
    where: { projectId, apiKey: { in: Object.keys(roles) } },
    select: { id: true, apiKey: true },
  });
  const unknown = Object.keys(roles).filter((key) => !environments.some((e) => e.apiKey === key));
  if (unknown.length > 0)
    throw new ApiError("unprocessable_entity", "Unknown environment", [
      { field: "command_roles", issue: `Not an environment of this project: ${unknown.join(", ")}` },
    ]);
  return Object.fromEntries(environments.map((e) => [String(e.id), ROLE_LEVELS[roles[e.apiKey]!]]));
}
