import { integrationJobGroup } from "@/lib/gitlab/integration/job-group";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_TOKENS, type DemoSeed } from "@/tools/gitlab-sim/seed";
import { startGitLabSimulator, type GitLabSimulator } from "@/tools/gitlab-sim/server";
import { ACCESS_LEVEL } from "@/tools/gitlab-sim/types";
import { prisma } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { ITEM_LABEL_JOB } from "@/lib/gitlab/links/link-labels";
import { expectStatus } from "@/tests/support/flags";
import {
  connectedProject,
  drainLabelJobs,
  labelJobs,
  linksApi,
  type LinkedProject,
} from "@/tests/support/gitlab-links";

// The "Flagpost" label in GitLab follows the links: added by a background job after linking
// (creating the label when the project lacks it), removed only when no feature in any Flagpost
// project still links the item, and never by the request itself.

// Jobs are due at once here; the debounce is the server's business.
process.env.FLAGPOST_JOB_DEBOUNCE_MS = "0";
resetEnvForTests();

let gl: GitLabSimulator;
let seed: DemoSeed;

beforeAll(async () => {
  gl = await startGitLabSimulator({ port: 0 });
  seed = gl.sim.seedDemo();
});
beforeEach(async () => {
  gl.sim.seedDemo();
  // Links left by earlier tests (other Flagpost projects on the same GitLab) would keep labels on.
  await prisma.externalResource.deleteMany({});
  await prisma.job.deleteMany({});
});
afterAll(() => gl.close());

const issueLabels = (iid: number) => gl.sim.getIssue(seed.projectId, iid)!.labels as string[];
const mrLabels = (iid: number) => gl.sim.getMergeRequest(seed.projectId, iid)!.labels as string[];
const hasFlagpostLabel = () => gl.sim.labels(seed.projectId).some((label) => label.name === "Flagpost");

async function link(
  p: LinkedProject,
  url: string,
  type: "GITLAB_ISSUE" | "GITLAB_MR",
  featureId = p.featureId,
) {
  return expectStatus(
    await linksApi.link({ apiKey: p.apiKey }, p.projectId, featureId, { url, type }),
    201,
  ) as { id: number };
}

describe("adding the label", () => {
  it("queues a job on link (nothing in GitLab during the request), which creates the label and adds it", async () => {
    const p = await connectedProject(gl, seed);
    gl.sim.clearRequests();
    await link(p, "#1", "GITLAB_ISSUE");
    expect(gl.sim.requests().filter((request) => request.method !== "GET")).toEqual([]);
    expect(issueLabels(1)).not.toContain("Flagpost");

    const [job] = await labelJobs();
    expect(job).toMatchObject({
      kind: ITEM_LABEL_JOB,
      status: "PENDING",
      groupKey: integrationJobGroup(p.integrationId),
      projectId: p.projectId,
      concurrencyKey: `gitlab-item:${p.integrationId}:${seed.projectId}:issue:1`,
    });
    expect(job!.payload).toEqual({
      integrationId: p.integrationId,
      gitlabProjectId: seed.projectId,
      type: "GITLAB_ISSUE",
      iid: 1,
    });

    expect(await drainLabelJobs()).toMatchObject({ succeeded: 1, failed: 0 });
    expect(hasFlagpostLabel()).toBe(true);
    expect(gl.sim.labels(seed.projectId).find((label) => label.name === "Flagpost")).toMatchObject({
      color: "#6837FC",
    });
    expect(issueLabels(1)).toEqual(["Flagpost", "backend", "feature"]);
  });

  it("treats 409 from label creation as 'exists' and still labels the item", async () => {
    const p = await connectedProject(gl, seed);
    gl.sim.createLabel(seed.projectId, { name: "Flagpost", color: "#123456" });
    gl.sim.clearRequests();
    await link(p, "!1", "GITLAB_MR");
    expect(await drainLabelJobs()).toMatchObject({ succeeded: 1, failed: 0 });
    expect(
      gl.sim
        .requests()
        .filter((request) => request.method !== "GET")
        .map((request) => `${request.method} ${request.path} ${request.status}`),
    ).toEqual([
      `POST /projects/${seed.projectId}/labels 409`,
      `PUT /projects/${seed.projectId}/merge_requests/1 200`,
    ]);
    expect(mrLabels(1)).toContain("Flagpost");
  });

  it("adds no label and queues no job with tagging off", async () => {
    const p = await connectedProject(gl, seed, { tagging: false });
    await link(p, "#6", "GITLAB_ISSUE");
    expect(await labelJobs()).toEqual([]);
    await drainLabelJobs();
    expect(issueLabels(6)).not.toContain("Flagpost");
  });

  it("keeps secrets out of job payloads", async () => {
    const p = await connectedProject(gl, seed);
    const linked = await link(p, "#7", "GITLAB_ISSUE");
    await linksApi.unlink({ apiKey: p.apiKey }, p.projectId, p.featureId, linked.id);
    const integration = await prisma.gitLabIntegration.findUniqueOrThrow({ where: { id: p.integrationId } });
    const rows = await prisma.job.findMany({});
    expect(rows.length).toBeGreaterThan(0);
    const text = JSON.stringify(rows.map((row) => row.payload));
    for (const secret of [
      DEMO_TOKENS.maintainer,
      integration.encryptedToken,
      integration.encryptedWebhookSecret,
    ])
      expect(text).not.toContain(secret);
    expect(
      rows.every((row) =>
        Object.values(row.payload as object).every(
          (value) => typeof value === "number" || /^GITLAB_(ISSUE|MR)$/.test(String(value)),
        ),
      ),
    ).toBe(true);
  });

  it("fails the job with a clear message, without pausing the integration, when the token's role cannot create labels", async () => {
    const guest = gl.sim.createToken({
      value: "glpat-guest-links",
      name: "guest",
      scopes: ["api"],
      projects: [{ id: seed.projectId, access_level: ACCESS_LEVEL.guest }],
    });
    const p = await connectedProject(gl, seed, { token: guest.value });
    await link(p, "#6", "GITLAB_ISSUE");
    expect(await drainLabelJobs()).toMatchObject({ succeeded: 0, failed: 1, paused: 0 });
    const [job] = await labelJobs();
    expect(job).toMatchObject({
      status: "FAILED",
      lastError: expect.stringMatching(
        /refused to create the "Flagpost" label .* needs at least the Reporter role/,
      ),
    });
    expect(
      (await prisma.gitLabIntegration.findUniqueOrThrow({ where: { id: p.integrationId } })).tokenStatus,
    ).toBe("VALID");
  });
});

describe("removing the label", () => {
  it("removes it only after the last link across features and Flagpost projects goes", async () => {
    const a = await connectedProject(gl, seed);
    const b = await connectedProject(gl, seed);
    const second = await prisma.feature.create({ data: { projectId: a.projectId, name: "second" } });
    const fromA = await link(a, "#1", "GITLAB_ISSUE");
    const fromSecond = await link(a, "#1", "GITLAB_ISSUE", second.id);
    const fromB = await link(b, `${gl.url}/${seed.projectPath}/-/work_items/1`, "GITLAB_ISSUE");
    await drainLabelJobs();
    expect(issueLabels(1)).toContain("Flagpost");

    await linksApi.unlink({ apiKey: a.apiKey }, a.projectId, a.featureId, fromA.id);
    await drainLabelJobs();
    expect(issueLabels(1)).toContain("Flagpost");
    await linksApi.unlink({ apiKey: a.apiKey }, a.projectId, second.id, fromSecond.id);
    await drainLabelJobs();
    // Project b (another Flagpost project on the same GitLab) still links it.
    expect(issueLabels(1)).toContain("Flagpost");
    await linksApi.unlink({ apiKey: b.apiKey }, b.projectId, b.featureId, fromB.id);
    expect(await drainLabelJobs()).toMatchObject({ succeeded: 1, failed: 0 });
    expect(issueLabels(1)).toEqual(["backend", "feature"]);
    expect((await labelJobs()).every((job) => job.status === "SUCCEEDED")).toBe(true);
  });

  it("decides when the job runs: link and unlink before the worker gets to it coalesce into one job that labels nothing", async () => {
    const p = await connectedProject(gl, seed);
    const linked = await link(p, "!3", "GITLAB_MR");
    await linksApi.unlink({ apiKey: p.apiKey }, p.projectId, p.featureId, linked.id);
    expect(await labelJobs()).toHaveLength(1);
    gl.sim.clearRequests();
    await drainLabelJobs();
    expect(mrLabels(3)).not.toContain("Flagpost");
    expect(gl.sim.requests().map((request) => `${request.method} ${request.path}`)).toEqual([
      `PUT /projects/${seed.projectId}/merge_requests/3`,
    ]);
  });

  it("counts an item deleted in GitLab as unlabelled", async () => {
    const p = await connectedProject(gl, seed);
    const linked = await link(p, "#7", "GITLAB_ISSUE");
    await drainLabelJobs();
    gl.sim.store.issues.delete(gl.sim.store.issueByIid(seed.projectId, 7)!.id);
    await linksApi.unlink({ apiKey: p.apiKey }, p.projectId, p.featureId, linked.id);
    expect(await drainLabelJobs()).toMatchObject({ succeeded: 1, failed: 0 });
  });
});
