import * as environmentRoute from "@/app/api/v1/environments/[envApiKey]/route";
import * as stateRoute from "@/app/api/v1/environments/[envApiKey]/featurestates/[stateId]/route";
import * as optionRoute from "@/app/api/v1/projects/[projectId]/features/[featureId]/mv-options/[optionId]/route";
import * as optionsRoute from "@/app/api/v1/projects/[projectId]/features/[featureId]/mv-options/route";
import * as featureRoute from "@/app/api/v1/projects/[projectId]/features/[featureId]/route";
import * as overrideRoute from "@/app/api/v1/projects/[projectId]/features/[featureId]/segment-overrides/[overrideId]/route";
import * as overridesRoute from "@/app/api/v1/projects/[projectId]/features/[featureId]/segment-overrides/route";
import * as segmentRoute from "@/app/api/v1/projects/[projectId]/segments/[segmentId]/route";
import * as segmentsRoute from "@/app/api/v1/projects/[projectId]/segments/route";
import type { DemoSeed } from "@/tools/gitlab-sim/seed";
import type { GitLabSimulator } from "@/tools/gitlab-sim/server";
import { ACCESS_LEVEL } from "@/tools/gitlab-sim/types";
import { prisma } from "@/lib/db/client";
import { STATUS_NOTE_JOB } from "@/lib/gitlab/notes/status-note-outbox";
import { msUntilNextDueJob } from "@/lib/jobs/queue";
import { integrationJobGroup } from "@/lib/gitlab/integration/job-group";
import { drainJobs, type DrainOptions } from "@/lib/jobs/worker";
import { hasNoteMarker } from "@/lib/vcs/status-comment";
import { call, seedOrganisation } from "@/tests/support/api";
import {
  createFeature,
  createProjectWithEnvironments,
  expectStatus,
  type TestEnvironment,
} from "@/tests/support/flags";
import { gitlabApi } from "@/tests/support/gitlab";
import { linksApi } from "@/tests/support/gitlab-links";

// Status notes against the GitLab simulator: a Flagpost project with environments and a feature,
// connected to the demo GitLab project with a token of its own (so revoking or rotating it in one
// test leaves the others alone); flag changes through the real route handlers; the real worker.

export interface NotesProject {
  apiKey: string;
  projectId: number;
  integrationId: number;
  featureId: number;
  featureName: string;
  environments: TestEnvironment[];
  token: string;
}

/** A maintainer-level `api` token on the demo group, acting as a bot user of its own. */
export function newGitLabToken(gl: GitLabSimulator, accessLevel: number = ACCESS_LEVEL.maintainer): string {
  return gl.sim.createToken({
    name: `Flagpost ${Math.random().toString(36).slice(2, 8)}`,
    scopes: ["api"],
    groups: [{ id: "acme", access_level: accessLevel }],
  }).value;
}

export async function notesProject(
  gl: GitLabSimulator,
  seed: DemoSeed,
  {
    token = newGitLabToken(gl),
    environments = ["Development", "Production"],
    feature = {} as Record<string, unknown>,
  } = {},
): Promise<NotesProject> {
  const { apiKey } = await seedOrganisation();
  const { project, environments: created } = await createProjectWithEnvironments(apiKey, environments);
  const integration = expectStatus(
    await gitlabApi.create({ apiKey }, project.id, {
      gitlab_instance_url: gl.url,
      access_token: token,
      gitlab_project_id: seed.projectId,
    }),
    201,
  );
  const featureName = `checkout_${Math.random().toString(36).slice(2, 8)}`;
  const { id: featureId } = await createFeature(apiKey, project.id, { name: featureName, ...feature });
  return {
    apiKey,
    projectId: project.id,
    integrationId: integration.id,
    featureId,
    featureName,
    environments: created,
    token,
  };
}

export async function linkItem(
  p: NotesProject,
  url: string,
  type: "GITLAB_ISSUE" | "GITLAB_MR" = "GITLAB_ISSUE",
  featureId = p.featureId,
) {
  return expectStatus(
    await linksApi.link({ apiKey: p.apiKey }, p.projectId, featureId, { url, type }),
    201,
  ) as { id: number };
}

async function stateId(featureId: number, environmentId: number) {
  return (
    await prisma.featureState.findUniqueOrThrow({
      where: { featureId_environmentId: { featureId, environmentId } },
    })
  ).id;
}

/** Flag changes through the route handlers, as the UI and the API make them. */
export const flags = {
  setState: async (
    p: NotesProject,
    environment: TestEnvironment,
    body: {
      enabled?: boolean;
      feature_state_value?: unknown;
      multivariate_feature_state_values?: {
        multivariate_feature_option: number;
        percentage_allocation: number;
      }[];
    },
    featureId = p.featureId,
  ) => {
    const id = await stateId(featureId, environment.id);
    return expectStatus(
      await call(
        stateRoute.PATCH,
        "PATCH",
        `/api/v1/environments/${environment.api_key}/featurestates/${id}/`,
        {
          apiKey: p.apiKey,
          params: { envApiKey: environment.api_key, stateId: id },
          body,
        },
      ),
      200,
    );
  },
  updateFeature: async (p: NotesProject, body: Record<string, unknown>) =>
    expectStatus(
      await call(featureRoute.PATCH, "PATCH", `/api/v1/projects/${p.projectId}/features/${p.featureId}/`, {
        apiKey: p.apiKey,
        params: { projectId: p.projectId, featureId: p.featureId },
        body,
      }),
      200,
    ),
  deleteFeature: async (p: NotesProject) =>
    expectStatus(
      await call(featureRoute.DELETE, "DELETE", `/api/v1/projects/${p.projectId}/features/${p.featureId}/`, {
        apiKey: p.apiKey,
        params: { projectId: p.projectId, featureId: p.featureId },
      }),
      204,
    ),
  renameEnvironment: async (p: NotesProject, environment: TestEnvironment, name: string) =>
    expectStatus(
      await call(environmentRoute.PATCH, "PATCH", `/api/v1/environments/${environment.api_key}/`, {
        apiKey: p.apiKey,
        params: { envApiKey: environment.api_key },
        body: { name },
      }),
      200,
    ),
  createSegment: async (p: NotesProject, name: string) =>
    expectStatus(
      await call(segmentsRoute.POST, "POST", `/api/v1/projects/${p.projectId}/segments/`, {
        apiKey: p.apiKey,
        params: { projectId: p.projectId },
        body: { name, rules: [] },
      }),
      201,
    ) as { id: number },
  updateSegment: async (p: NotesProject, segmentId: number, body: Record<string, unknown>) =>
    expectStatus(
      await call(segmentRoute.PATCH, "PATCH", `/api/v1/projects/${p.projectId}/segments/${segmentId}/`, {
        apiKey: p.apiKey,
        params: { projectId: p.projectId, segmentId },
        body,
      }),
      200,
    ),
  addOverride: async (
    p: NotesProject,
    body: {
      environment: number;
      segment: number;
      enabled?: boolean;
      feature_state_value?: unknown;
      multivariate_feature_state_values?: {
        multivariate_feature_option: number;
        percentage_allocation: number;
      }[];
    },
  ) =>
    expectStatus(
      await call(
        overridesRoute.POST,
        "POST",
        `/api/v1/projects/${p.projectId}/features/${p.featureId}/segment-overrides/`,
        {
          apiKey: p.apiKey,
          params: { projectId: p.projectId, featureId: p.featureId },
          body,
        },
      ),
      201,
    ) as { id: number },
  createOption: async (p: NotesProject, body: Record<string, unknown>) =>
    expectStatus(
      await call(
        optionsRoute.POST,
        "POST",
        `/api/v1/projects/${p.projectId}/features/${p.featureId}/mv-options/`,
        {
          apiKey: p.apiKey,
          params: { projectId: p.projectId, featureId: p.featureId },
          body,
        },
      ),
      201,
    ) as { id: number },
  updateOption: async (p: NotesProject, optionId: number, body: Record<string, unknown>) =>
    expectStatus(
      await call(
        optionRoute.PATCH,
        "PATCH",
        `/api/v1/projects/${p.projectId}/features/${p.featureId}/mv-options/${optionId}/`,
        {
          apiKey: p.apiKey,
          params: { projectId: p.projectId, featureId: p.featureId, optionId },
          body,
        },
      ),
      200,
    ),
  updateOverride: async (p: NotesProject, overrideId: number, body: Record<string, unknown>) =>
    expectStatus(
      await call(
        overrideRoute.PATCH,
        "PATCH",
        `/api/v1/projects/${p.projectId}/features/${p.featureId}/segment-overrides/${overrideId}/`,
        {
          apiKey: p.apiKey,
          params: { projectId: p.projectId, featureId: p.featureId, overrideId },
          body,
        },
      ),
      200,
    ),
  deleteOverride: async (p: NotesProject, overrideId: number) =>
    expectStatus(
      await call(
        overrideRoute.DELETE,
        "DELETE",
        `/api/v1/projects/${p.projectId}/features/${p.featureId}/segment-overrides/${overrideId}/`,
        {
          apiKey: p.apiKey,
          params: { projectId: p.projectId, featureId: p.featureId, overrideId },
        },
      ),
      204,
    ),
};

export const noteJobs = ({ integrationId }: { integrationId?: number } = {}) =>
  prisma.job.findMany({
    where: {
      kind: STATUS_NOTE_JOB,
      ...(integrationId !== undefined ? { groupKey: integrationJobGroup(integrationId) } : {}),
    },
    orderBy: { id: "asc" },
  });

/**
 * Runs the worker as the server would until no job is pending or running (waiting for debounces
 * and scheduled retries), or until `timeoutMs`. Jobs of paused integrations do not count.
 */
export async function drainUntilIdle({
  timeoutMs = 20_000,
  ...options
}: Partial<DrainOptions> & { timeoutMs?: number } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await drainJobs({ ...options });
    const waiting = await prisma.job.count({
      where: {
        status: { in: ["PENDING", "RUNNING"] },
        OR: [{ groupKey: null }, { groupKey: { in: (await activeIntegrations()).map(integrationJobGroup) } }],
      },
    });
    if (waiting === 0) return;
    if (Date.now() > deadline) throw new Error(`${waiting} job(s) still waiting after ${timeoutMs} ms`);
    const wait = (await msUntilNextDueJob()) ?? 50;
    await new Promise((resolve) => setTimeout(resolve, Math.min(Math.max(wait, 20), 1_000)));
  }
}

async function activeIntegrations() {
  return (
    await prisma.gitLabIntegration.findMany({
      where: { tokenStatus: "VALID", deletedAt: null },
      select: { id: true },
    })
  ).map((row) => row.id);
}

/** The comments on a demo-project issue carrying the feature's status marker, oldest first. */
export function statusNotes(
  gl: GitLabSimulator,
  seed: DemoSeed,
  iid: number,
  featureId: number,
  kind: "issue" | "merge_request" = "issue",
) {
  return gl.sim
    .notes(seed.projectId, kind, iid)
    .filter((note) => !note.system && hasNoteMarker(note.body as string, featureId)) as {
    id: number;
    body: string;
    author: { id: number; username: string };
  }[];
}

/** The table row of an environment in a status note body ("✅ Enabled", the value cell…). */
export function environmentRow(body: string, environmentName: string): string | undefined {
  return body.split("\n").find((line) => line.startsWith(`| [${environmentName}]`));
}
