import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as projectRoute from "@/app/api/v1/projects/[projectId]/route";
import type { DemoSeed } from "@/tools/gitlab-sim/seed";
import { startGitLabSimulator, type GitLabSimulator } from "@/tools/gitlab-sim/server";
import { prisma } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { integrationJobGroup } from "@/lib/gitlab/integration/job-group";
import { drainJobs } from "@/lib/jobs/worker";
import { call } from "@/tests/support/api";
import { expectStatus } from "@/tests/support/flags";
import { gitlabApi } from "@/tests/support/gitlab";
import { linkItem, noteJobs, notesProject, statusNotes } from "@/tests/support/gitlab-notes";

// A job slower than its lease still runs once (the worker's heartbeat keeps the lease), and a job
// never outlives what it works for: deleting an integration or a project removes its jobs in the
// same transaction, running ones included.

process.env.FLAGPOST_JOB_DEBOUNCE_MS = "0";
resetEnvForTests();

const LEASE_MS = 2_000;

let gl: GitLabSimulator;
let seed: DemoSeed;

beforeAll(async () => {
  gl = await startGitLabSimulator({ port: 0 });
  seed = gl.sim.seedDemo();
});
afterEach(() => gl.sim.setLatency(0));
afterAll(() => gl.close());

const newIssue = (title: string) =>
  gl.sim.createIssue(seed.projectId, { title, author_id: seed.users.alice }).iid as number;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function untilRunning(groupKey: string) {
  for (let tries = 0; tries < 400; tries++) {
    if (await prisma.job.count({ where: { groupKey, status: "RUNNING" } })) return;
    await sleep(25);
  }
  throw new Error("no job started running");
}

/** Jobs whose GitLab integration is deleted or gone, or whose project is gone. */
const orphanJobs = () =>
  prisma.$queryRaw<{ id: bigint }[]>`
    SELECT j.id FROM jobs j
    WHERE (j.project_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = j.project_id))
       OR (j.group_key LIKE 'gitlab-integration:%' AND NOT EXISTS (
             SELECT 1 FROM gitlab_integrations g
             WHERE 'gitlab-integration:' || g.id = j.group_key AND g.deleted_at IS NULL))`;

describe("a job slower than its lease", () => {
  it("runs once with two workers: the heartbeat keeps its lease while GitLab is slow", async () => {
    const p = await notesProject(gl, seed);
    const iid = newIssue("Slow GitLab");
    await linkItem(p, `#${iid}`);
    gl.sim.clearRequests();
    // Each GitLab call takes longer than the whole lease.
    gl.sim.setLatency(LEASE_MS + 500);
    const first = drainJobs({ workerId: "worker-a", leaseMs: LEASE_MS });
    await untilRunning(integrationJobGroup(p.integrationId));
    // Past the lease the job was claimed with: without a heartbeat, it now looks crashed.
    await sleep(LEASE_MS + 300);
    const second = await drainJobs({ workerId: "worker-b", leaseMs: LEASE_MS });
    const firstResult = await first;

    expect(second).toEqual({ succeeded: 0, retried: 0, failed: 0, paused: 0 });
    expect(firstResult.succeeded).toBe(1);
    const [job] = await noteJobs({ integrationId: p.integrationId });
    expect(job).toMatchObject({ status: "SUCCEEDED", attempts: 1 });
    expect(statusNotes(gl, seed, iid, p.featureId)).toHaveLength(1);
    expect(gl.sim.requests().filter((request) => request.method === "POST")).toHaveLength(1);
  });
});

describe("jobs belong to a live integration", () => {
  it("deleting an integration removes its waiting and running jobs in the same transaction", async () => {
    const p = await notesProject(gl, seed);
    expectStatus(
      await gitlabApi.update({ apiKey: p.apiKey }, p.projectId, p.integrationId, { tagging_enabled: true }),
      200,
    );
    for (const title of ["Deleted A", "Deleted B", "Deleted C"]) await linkItem(p, `#${newIssue(title)}`);
    const groupKey = integrationJobGroup(p.integrationId);
    expect(await prisma.job.count({ where: { groupKey, status: "PENDING" } })).toBe(6);

    // One job is in a worker's hands (GitLab is slow) when the integration goes.
    gl.sim.setLatency(800);
    // One job only: the budget is spent while it waits for GitLab. (A budget of 1 ms could be spent
    // before the first claim, when the clock ticks over between setting the deadline and the check.)
    const draining = drainJobs({ workerId: "worker-a", batchSize: 1, parallelism: 1, budgetMs: 400 });
    await untilRunning(groupKey);
    expectStatus(await gitlabApi.remove({ apiKey: p.apiKey }, p.projectId, p.integrationId), 204);
    expect(await prisma.job.count({ where: { groupKey } })).toBe(0);

    await draining;
    expect(await prisma.job.count({ where: { groupKey } })).toBe(0);
    expect(await orphanJobs()).toEqual([]);
  });

  it("deleting a project removes its jobs", async () => {
    const p = await notesProject(gl, seed);
    await linkItem(p, `#${newIssue("Project gone")}`);
    expect(await prisma.job.count({ where: { projectId: p.projectId } })).toBeGreaterThan(0);
    expectStatus(
      await call(projectRoute.DELETE, "DELETE", `/api/v1/projects/${p.projectId}/`, {
        apiKey: p.apiKey,
        params: { projectId: p.projectId },
      }),
      204,
    );
    expect(await prisma.job.count({ where: { projectId: p.projectId } })).toBe(0);
    expect(await orphanJobs()).toEqual([]);
  });
});
