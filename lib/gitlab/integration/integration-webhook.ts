import "server-only";
import { ApiError } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/actor";
import { requireProjectRole } from "@/lib/auth/permissions";
import { recordAudit } from "@/lib/audit/record-audit";
import { decryptSecret } from "@/lib/crypto/secret-box";
import { prisma } from "@/lib/db/client";
import type { GitLabIntegration } from "@/lib/generated/prisma/client";
import { gitLabErrorToApiError, GitLabApiError } from "@/lib/gitlab/client/errors";
import {
  getIntegration,
  hookInput,
  requireLiveIntegration,
  removeHook,
  storedTokenClient,
  type IntegrationView,
} from "@/lib/gitlab/integration/integrations";

// "Create the webhook for me": Flagpost registers the project hook on the linked GitLab project
// with the integration's URL and secret, remembers its id, and removes it again on request or when
// the integration is deleted. GitLab allows this from the Maintainer role up.

async function liveLinkedIntegration(
  projectId: number,
  integrationId: number,
): Promise<GitLabIntegration & { gitlabProjectId: number }> {
  const integration = await requireLiveIntegration(prisma, projectId, integrationId);
  if (integration.gitlabProjectId === null) {
    throw new ApiError(
      "bad_request",
      "Link a GitLab project to the integration first; the webhook is created on that project.",
      { field: "gitlab_project_id" },
    );
  }
  return integration as GitLabIntegration & { gitlabProjectId: number };
}

export async function registerWebhook(
  actor: Actor,
  projectId: number,
  integrationId: number,
): Promise<IntegrationView> {
  const access = await requireProjectRole(actor, projectId, "ADMIN");
  const integration = await liveLinkedIntegration(projectId, integrationId);
  if (integration.gitlabHookId !== null) {
    throw new ApiError(
      "conflict",
      "Flagpost already registered a webhook for this integration. Remove it first to create it again.",
    );
  }
  let hookId: number;
  try {
    const hook = await storedTokenClient(integration).hooks.add(
      integration.gitlabProjectId,
      hookInput(projectId, decryptSecret(integration.encryptedWebhookSecret)),
    );
    hookId = hook.id;
  } catch (error) {
    if (error instanceof GitLabApiError && error.status === 403 && error.errorCode !== "insufficient_scope") {
      throw new ApiError(
        "bad_request",
        `GitLab did not let the token create webhooks on ${integration.gitlabProjectPath}: that needs the Maintainer role. ` +
          "Add the webhook by hand in GitLab (Settings → Webhooks) with the URL and secret shown here.",
        { reason: "insufficient_role", gitlab_status: 403 },
      );
    }
    throw gitLabErrorToApiError(error, `GitLab project ${integration.gitlabProjectPath}`);
  }
  await prisma.$transaction(async (tx) => {
    await tx.gitLabIntegration.update({ where: { id: integration.id }, data: { gitlabHookId: hookId } });
    await recordAudit(tx, actor, {
      organisationId: access.project.organisationId,
      projectId,
      action: "UPDATE",
      entityType: "gitlab_integration",
      entityId: integration.id,
      summary: `Registered the Flagpost webhook on GitLab project ${integration.gitlabProjectPath}`,
      changes: { gitlab_hook_id: { from: null, to: hookId } },
    });
  });
  return getIntegration(actor, projectId, integrationId);
}

export async function unregisterWebhook(
  actor: Actor,
  projectId: number,
  integrationId: number,
): Promise<void> {
  const access = await requireProjectRole(actor, projectId, "ADMIN");
  const integration = await liveLinkedIntegration(projectId, integrationId);
  const hookId = integration.gitlabHookId;
  if (hookId === null)
    throw new ApiError("not_found", "Flagpost has not registered a webhook for this integration");
  try {
    await removeHook(storedTokenClient(integration), integration.gitlabProjectId, hookId);
  } catch (error) {
    throw gitLabErrorToApiError(error, `The webhook on GitLab project ${integration.gitlabProjectPath}`);
  }
  await prisma.$transaction(async (tx) => {
    await tx.gitLabIntegration.update({ where: { id: integration.id }, data: { gitlabHookId: null } });
    await recordAudit(tx, actor, {
      organisationId: access.project.organisationId,
      projectId,
      action: "UPDATE",
      entityType: "gitlab_integration",
      entityId: integration.id,
      summary: `Removed the Flagpost webhook from GitLab project ${integration.gitlabProjectPath}`,
      changes: { gitlab_hook_id: { from: hookId, to: null } },
    });
  });
}
