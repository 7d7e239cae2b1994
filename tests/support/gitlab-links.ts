import * as linkRoute from "@/app/api/v1/projects/[projectId]/features/[featureId]/feature-external-resources/[resourceId]/route";
import * as refreshRoute from "@/app/api/v1/projects/[projectId]/features/[featureId]/feature-external-resources/refresh/route";
import * as linksRoute from "@/app/api/v1/projects/[projectId]/features/[featureId]/feature-external-resources/route";
import type { DemoSeed } from "@/tools/gitlab-sim/seed";
import { DEMO_TOKENS } from "@/tools/gitlab-sim/seed";
import type { GitLabSimulator } from "@/tools/gitlab-sim/server";
import { prisma } from "@/lib/db/client";
import { ITEM_LABEL_JOB } from "@/lib/gitlab/links/link-labels";
import { STATUS_NOTE_JOB } from "@/lib/gitlab/notes/status-note-outbox";
import { drainJobs } from "@/lib/jobs/worker";
import { call, seedOrganisation, type CallOptions } from "@/tests/support/api";
import { expectStatus } from "@/tests/support/flags";
import { createProject, gitlabApi } from "@/tests/support/gitlab";

// Calls of the feature-external-resources endpoints, and a Flagpost project connected to the
// GitLab simulator with a feature to link things to.

type Auth = Pick<CallOptions, "apiKey" | "headers">;

const base = (projectId: number, featureId: number) =>
  `/api/v1/projects/${projectId}/features/${featureId}/feature-external-resources/`;

export const linksApi = {
  list: (auth: Auth, projectId: number, featureId: number) =>
    call(linksRoute.GET, "GET", base(projectId, featureId), { ...auth, params: { projectId, featureId } }),
  link: (auth: Auth, projectId: number, featureId: number, body: unknown) =>
    call(linksRoute.POST, "POST", base(projectId, featureId), {
      ...auth,
      params: { projectId, featureId },
      body,
    }),
  unlink: (auth: Auth, projectId: number, featureId: number, resourceId: number) =>
    call(linkRoute.DELETE, "DELETE", `${base(projectId, featureId)}${resourceId}/`, {
      ...auth,
      params: { projectId, featureId, resourceId },
    }),
  refresh: (auth: Auth, projectId: number, featureId: number) =>
    call(refreshRoute.POST, "POST", `${base(projectId, featureId)}refresh/`, {
      ...auth,
      params: { projectId, featureId },
    }),
};

export interface LinkedProject {
  organisationId: number;
  apiKey: string;
  projectId: number;
  integrationId: number;
  featureId: number;
}

/** An organisation with a project connected to the simulator's demo project, and one feature. */
export async function connectedProject(
  gl: GitLabSimulator,
  seed: DemoSeed,
  { tagging = true, token = DEMO_TOKENS.maintainer as string } = {},
): Promise<LinkedProject> {
  const { organisation, apiKey } = await seedOrganisation();
  const projectId = (await createProject(organisation.id)).id;
  const integration = expectStatus(
    await gitlabApi.create({ apiKey }, projectId, {
      gitlab_instance_url: gl.url,
      access_token: token,
      gitlab_project_id: seed.projectId,
      tagging_enabled: tagging,
    }),
    201,
  );
  const featureId = (
    await prisma.feature.create({
      data: { projectId, name: `checkout-${Math.random().toString(36).slice(2, 8)}` },
    })
  ).id;
  return { organisationId: organisation.id, apiKey, projectId, integrationId: integration.id, featureId };
}

export const tagLabels = async (featureId: number) =>
  (await prisma.featureTag.findMany({ where: { featureId }, include: { tag: true } }))
    .map((row) => row.tag.label)
    .sort();

/**
 * Runs every label job that is due, as the server's worker would. Links also queue status-note
 * jobs (tests/integration/gitlab-status-notes.test.ts covers them): they are dropped here so these
 * counts and request logs are about labels only.
 */
export async function drainLabelJobs() {
  await prisma.job.deleteMany({ where: { kind: STATUS_NOTE_JOB } });
  return drainJobs({});
}

export const labelJobs = () =>
  prisma.job.findMany({ where: { kind: ITEM_LABEL_JOB }, orderBy: { id: "asc" } });
