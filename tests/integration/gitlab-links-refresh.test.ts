import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_SEARCH_ONLY_PROJECT_PATH, DEMO_TOKENS, type DemoSeed } from "@/tools/gitlab-sim/seed";
import { startGitLabSimulator, type GitLabSimulator } from "@/tools/gitlab-sim/server";
import { prisma } from "@/lib/db/client";
import { expectError } from "@/tests/support/api";
import { expectStatus } from "@/tests/support/flags";
import { connectedProject, linksApi, tagLabels, type LinkedProject } from "@/tests/support/gitlab-links";

// Live metadata for the Links tab: listing re-reads what is older than a minute with one GitLab
// request per GitLab project and kind, serves the cache (flagged stale) when GitLab is slow or
// down, marks items GitLab stopped showing, and catches state changes a webhook missed.

let gl: GitLabSimulator;
let seed: DemoSeed;
let p: LinkedProject;
let auth: { apiKey: string };

beforeAll(async () => {
  gl = await startGitLabSimulator({ port: 0 });
  seed = gl.sim.seedDemo();
  p = await connectedProject(gl, seed);
  auth = { apiKey: p.apiKey };
});
beforeEach(async () => {
  gl.sim.seedDemo();
  await prisma.externalResource.deleteMany({ where: { featureId: p.featureId } });
  await prisma.featureTag.deleteMany({ where: { featureId: p.featureId } });
});
afterEach(() => gl.sim.clearFaults());
afterAll(() => gl.close());

/** Links five items over two GitLab projects and both kinds (three groups), then ages their metadata. */
async function linkMany() {
  for (const [url, type] of [
    ["#1", "GITLAB_ISSUE"],
    ["#2", "GITLAB_ISSUE"],
    ["#6", "GITLAB_ISSUE"],
    ["!1", "GITLAB_MR"],
    ["!3", "GITLAB_MR"],
    [`${gl.url}/${DEMO_SEARCH_ONLY_PROJECT_PATH}/-/issues/1`, "GITLAB_ISSUE"],
  ] as const) {
    expectStatus(await linksApi.link(auth, p.projectId, p.featureId, { url, type }), 201);
  }
  await age();
  gl.sim.clearRequests();
}

const age = () =>
  prisma.externalResource.updateMany({
    where: { featureId: p.featureId },
    data: { metadataRefreshedAt: new Date(Date.now() - 5 * 60_000) },
  });

const gitlabCalls = () => gl.sim.requests().map((request) => `${request.method} ${request.path}`);

describe("refreshing without N+1", () => {
  it("re-reads stale rows with one request per GitLab project and kind, and asks nothing while fresh", async () => {
    await linkMany();
    const list = expectStatus(await linksApi.list(auth, p.projectId, p.featureId), 200);
    expect(list.results).toHaveLength(6);
    expect(list.results.every((row: { metadata: { stale: boolean } }) => !row.metadata.stale)).toBe(true);
    expect(gitlabCalls().sort()).toEqual(
      [
        `GET /projects/${seed.projectId}/issues`,
        `GET /projects/${seed.projectId}/merge_requests`,
        `GET /projects/${seed.searchOnlyProjectId}/issues`,
      ].sort(),
    );
    const demoIssues = gl.sim
      .requests()
      .find((request) => request.path === `/projects/${seed.projectId}/issues`)!;
    expect(demoIssues.query["iids[]"]).toEqual(["1", "2", "6"]);
    const refreshed = await prisma.externalResource.findMany({ where: { featureId: p.featureId } });
    expect(refreshed.every((row) => row.metadataRefreshedAt!.getTime() > Date.now() - 60_000)).toBe(true);

    gl.sim.clearRequests();
    expectStatus(await linksApi.list(auth, p.projectId, p.featureId), 200);
    expect(gitlabCalls()).toEqual([]);
  });

  it("re-reads only the groups holding stale rows", async () => {
    await linkMany();
    await prisma.externalResource.updateMany({
      where: { featureId: p.featureId, type: "GITLAB_MR" },
      data: { metadataRefreshedAt: new Date() },
    });
    expectStatus(await linksApi.list(auth, p.projectId, p.featureId), 200);
    expect(gitlabCalls().sort()).toEqual(
      [`GET /projects/${seed.projectId}/issues`, `GET /projects/${seed.searchOnlyProjectId}/issues`].sort(),
    );
  });

  it("re-reads everything when asked to refresh, still one request per group", async () => {
    await linkMany();
    await prisma.externalResource.updateMany({
      where: { featureId: p.featureId },
      data: { metadataRefreshedAt: new Date() },
    });
    const refreshed = expectStatus(await linksApi.refresh(auth, p.projectId, p.featureId), 200);
    expect(refreshed.results).toHaveLength(6);
    expect(gitlabCalls()).toHaveLength(3);
  });
});

describe("when GitLab is slow or down", () => {
  it("serves the cache with stale rows while GitLab fails; fresh rows are not stale", async () => {
    await linkMany();
    await prisma.externalResource.updateMany({
      where: { featureId: p.featureId, type: "GITLAB_MR" },
      data: { metadataRefreshedAt: new Date() },
    });
    gl.sim.injectFault({ status: 502, count: -1 });
    const list = expectStatus(await linksApi.list(auth, p.projectId, p.featureId), 200);
    const byReference = Object.fromEntries(
      list.results.map((row: { metadata: { project_path: string; reference: string } }) => [
        `${row.metadata.project_path}${row.metadata.reference}`,
        row.metadata,
      ]),
    );
    expect(byReference[`${seed.projectPath}#1`]).toMatchObject({
      title: "Roll out the new checkout flow behind a flag",
      state: "opened",
      stale: true,
    });
    expect(byReference[`${seed.projectPath}!3`]).toMatchObject({ state: "merged", stale: false });
    expect(
      Object.values(byReference).filter((metadata) => (metadata as { stale: boolean }).stale),
    ).toHaveLength(4);
  });

  it("gives up on a slow GitLab after the refresh deadline and serves the cache", async () => {
    await linkMany();
    gl.sim.setLatency(4_500);
    const list = expectStatus(await linksApi.list(auth, p.projectId, p.featureId), 200);
    expect(list.results.every((row: { metadata: { stale: boolean } }) => row.metadata.stale)).toBe(true);
  });

  it("marks a token GitLab rejects (401) as invalid, and serves the cache", async () => {
    await linkMany();
    gl.sim.revokeToken(DEMO_TOKENS.maintainer);
    try {
      const list = expectStatus(await linksApi.list(auth, p.projectId, p.featureId), 200);
      expect(list.results.every((row: { metadata: { stale: boolean } }) => row.metadata.stale)).toBe(true);
      expect(
        await prisma.gitLabIntegration.findUniqueOrThrow({ where: { id: p.integrationId } }),
      ).toMatchObject({ tokenStatus: "INVALID" });
    } finally {
      await prisma.gitLabIntegration.update({
        where: { id: p.integrationId },
        data: { tokenStatus: "VALID", tokenStatusReason: null },
      });
    }
  });

  it("does not ask GitLab while the integration's token is marked invalid", async () => {
    await linkMany();
    await prisma.gitLabIntegration.update({
      where: { id: p.integrationId },
      data: { tokenStatus: "INVALID" },
    });
    try {
      const list = expectStatus(await linksApi.list(auth, p.projectId, p.featureId), 200);
      expect(list.results.every((row: { metadata: { stale: boolean } }) => row.metadata.stale)).toBe(true);
      expect(gitlabCalls()).toEqual([]);
    } finally {
      await prisma.gitLabIntegration.update({
        where: { id: p.integrationId },
        data: { tokenStatus: "VALID" },
      });
    }
  });
});

describe("what a refresh finds out", () => {
  it("applies a state change a webhook missed and re-derives the feature's tags", async () => {
    await linksApi.link(auth, p.projectId, p.featureId, { url: "#1", type: "GITLAB_ISSUE" });
    await linksApi.link(auth, p.projectId, p.featureId, { url: "!1", type: "GITLAB_MR" });
    expect(await tagLabels(p.featureId)).toEqual(["Issue Open", "MR Open"]);
    // No webhook is registered: Flagpost only learns of these from the API.
    await gl.sim.issueAction(seed.projectId, 1, "close");
    await gl.sim.mergeRequestAction(seed.projectId, 1, "merge");
    await age();
    const list = expectStatus(await linksApi.list(auth, p.projectId, p.featureId), 200);
    expect(
      list.results.map(
        (row: { metadata: { reference: string; state: string; closed_at: string | null } }) => [
          row.metadata.reference,
          row.metadata.state,
          row.metadata.closed_at !== null,
        ],
      ),
    ).toEqual([
      ["!1", "merged", true],
      ["#1", "closed", true],
    ]);
    expect(await tagLabels(p.featureId)).toEqual(["Issue Closed", "MR Merged"]);
    const audit = await prisma.auditLog.findFirstOrThrow({
      where: { featureId: p.featureId, entityType: "feature_tags" },
      orderBy: { id: "desc" },
    });
    expect(audit.actorLabel).toBe("GitLab metadata refresh");
  });

  it("picks up new titles and labels without touching tags", async () => {
    const linked = expectStatus(
      await linksApi.link(auth, p.projectId, p.featureId, { url: "#6", type: "GITLAB_ISSUE" }),
      201,
    );
    await gl.sim.issueAction(seed.projectId, 6, "update", {
      title: "Audit trail for every flag toggle",
      add_labels: ["backend"],
    });
    const refreshed = expectStatus(await linksApi.refresh(auth, p.projectId, p.featureId), 200);
    expect(refreshed.results[0]).toMatchObject({
      id: linked.id,
      metadata: { title: "Audit trail for every flag toggle", labels: ["backend", "feature"], stale: false },
    });
    expect(await tagLabels(p.featureId)).toEqual(["Issue Open"]);
  });

  it("marks items GitLab no longer returns, keeps their cached metadata, and unmarks them when they are back", async () => {
    expectStatus(
      await linksApi.link(auth, p.projectId, p.featureId, { url: "#7", type: "GITLAB_ISSUE" }),
      201,
    );
    const store = gl.sim.store;
    const issue = store.issueByIid(seed.projectId, 7)!;
    store.issues.delete(issue.id);
    const gone = expectStatus(await linksApi.refresh(auth, p.projectId, p.featureId), 200);
    expect(gone.results[0].metadata).toMatchObject({
      title: "Dark-mode toggle flickers",
      unavailable: true,
      stale: false,
    });
    store.issues.set(issue.id, issue);
    const back = expectStatus(await linksApi.refresh(auth, p.projectId, p.featureId), 200);
    expect(back.results[0].metadata).toMatchObject({ unavailable: false });
  });

  it("refuses a forced refresh without a GitLab integration", async () => {
    await prisma.gitLabIntegration.update({ where: { id: p.integrationId }, data: { liveProjectId: null } });
    try {
      expectError(await linksApi.refresh(auth, p.projectId, p.featureId), 400, "bad_request");
    } finally {
      await prisma.gitLabIntegration.update({
        where: { id: p.integrationId },
        data: { liveProjectId: p.projectId },
      });
    }
  });
});
