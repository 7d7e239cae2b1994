import * as ruleRoute from "@/app/api/v1/projects/[projectId]/features/[featureId]/release-rules/[ruleId]/route";
import * as rulesRoute from "@/app/api/v1/projects/[projectId]/features/[featureId]/release-rules/route";
import * as changeRoute from "@/app/api/v1/projects/[projectId]/scheduled-changes/[changeId]/route";
import * as changesRoute from "@/app/api/v1/projects/[projectId]/scheduled-changes/route";
import type { DemoSeed } from "@/tools/gitlab-sim/seed";
import type { GitLabSimulator } from "@/tools/gitlab-sim/server";
import { encryptSecret } from "@/lib/crypto/secret-box";
import { prisma } from "@/lib/db/client";
import { call } from "@/tests/support/api";
import { expectStatus } from "@/tests/support/flags";
import { gitlabApi } from "@/tests/support/gitlab";
import { notesProject, type NotesProject } from "@/tests/support/gitlab-notes";
import { SECRET, startWebhookReceiver } from "@/tests/support/gitlab-webhooks";

// Release rules through the route handlers, and a Flagpost project whose GitLab integration has
// release rules turned on and receives the simulator's webhooks.

type Auth = { apiKey?: string; headers?: Record<string, string> };

export const rulesApi = {
  list: (auth: Auth, projectId: number, featureId: number) =>
    call(rulesRoute.GET, "GET", `/api/v1/projects/${projectId}/features/${featureId}/release-rules/`, {
      ...auth,
      params: { projectId, featureId },
    }),
  create: (auth: Auth, projectId: number, featureId: number, body: unknown) =>
    call(rulesRoute.POST, "POST", `/api/v1/projects/${projectId}/features/${featureId}/release-rules/`, {
      ...auth,
      params: { projectId, featureId },
      body,
    }),
  update: (auth: Auth, projectId: number, featureId: number, ruleId: number, body: unknown) =>
    call(
      ruleRoute.PATCH,
      "PATCH",
      `/api/v1/projects/${projectId}/features/${featureId}/release-rules/${ruleId}/`,
      { ...auth, params: { projectId, featureId, ruleId }, body },
    ),
  remove: (auth: Auth, projectId: number, featureId: number, ruleId: number) =>
    call(
      ruleRoute.DELETE,
      "DELETE",
      `/api/v1/projects/${projectId}/features/${featureId}/release-rules/${ruleId}/`,
      { ...auth, params: { projectId, featureId, ruleId } },
    ),
  scheduled: (auth: Auth, projectId: number) =>
    call(changesRoute.GET, "GET", `/api/v1/projects/${projectId}/scheduled-changes/`, {
      ...auth,
      params: { projectId },
    }),
  cancel: (auth: Auth, projectId: number, changeId: number) =>
    call(changeRoute.DELETE, "DELETE", `/api/v1/projects/${projectId}/scheduled-changes/${changeId}/`, {
      ...auth,
      params: { projectId, changeId },
    }),
};

export type Receiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

/** A notes project with release rules on and the simulator's project hook pointing at it. */
export async function rulesProject(
  gl: GitLabSimulator,
  seed: DemoSeed,
  receiver: Receiver,
  { releaseRules = true } = {},
): Promise<NotesProject> {
  const p = await notesProject(gl, seed, { environments: ["Development", "Production"] });
  expectStatus(
    await gitlabApi.update({ apiKey: p.apiKey }, p.projectId, p.integrationId, {
      release_rules_enabled: releaseRules,
    }),
    200,
  );
  await prisma.gitLabIntegration.update({
    where: { id: p.integrationId },
    data: { encryptedWebhookSecret: encryptSecret(SECRET) },
  });
  gl.sim.registerHook(seed.projectId, {
    url: `${receiver.url}/api/v1/gitlab-webhook/${p.projectId}/`,
    token: SECRET,
    issues_events: true,
    merge_requests_events: true,
    note_events: true,
  });
  return p;
}

export const stateIn = (featureId: number, environmentId: number) =>
  prisma.featureState.findUniqueOrThrow({
    where: { featureId_environmentId: { featureId, environmentId } },
  });
