import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoSeed } from "@/tools/gitlab-sim/seed";
import { startGitLabSimulator, type GitLabSimulator } from "@/tools/gitlab-sim/server";
import { advanceTestClock, now, resetTestClock } from "@/lib/clock";
import { prisma } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { integrationJobGroup } from "@/lib/gitlab/integration/job-group";
import { msUntilNextDueJob } from "@/lib/jobs/queue";
import { MAX_OUTAGE_DELAY_MS } from "@/lib/jobs/retry-policy";
import { drainJobs } from "@/lib/jobs/worker";
import { expectStatus } from "@/tests/support/flags";
import { gitlabApi } from "@/tests/support/gitlab";
import {
  drainUntilIdle,
  environmentRow,
  flags,
  linkItem,
  notesProject,
  statusNotes,
  type NotesProject,
} from "@/tests/support/gitlab-notes";

// A GitLab outage of two hours, simulated: the simulator answers 503 (then drops connections) for
// every call while the test moves Flagpost's clock forward to each retry. No job may end while the
// integration exists; the integration says since when GitLab is unreachable and how much waits;
// once GitLab answers again, everything waiting goes out at the next try, each change exactly once.

process.env.FLAGPOST_JOB_DEBOUNCE_MS = "0";
process.env.FLAGPOST_TEST_CLOCK = "true";
resetEnvForTests();

const HOUR_MS = 60 * 60_000;

let gl: GitLabSimulator;
let seed: DemoSeed;

beforeAll(async () => {
  gl = await startGitLabSimulator({ port: 0 });
  seed = gl.sim.seedDemo();
});
afterAll(async () => {
  resetTestClock();
  await gl.close();
});

const newIssue = (title: string) =>
  gl.sim.createIssue(seed.projectId, { title, author_id: seed.users.alice }).iid as number;
const issueLabels = (iid: number) => gl.sim.getIssue(seed.projectId, iid)!.labels as string[];

async function integrationView(p: NotesProject) {
  return expectStatus(await gitlabApi.get({ apiKey: p.apiKey }, p.projectId, p.integrationId), 200) as {
    gitlab_unreachable: { since: string; waiting_jobs: number } | null;
  };
}

/** Runs the worker at every retry the queue schedules, moving the clock, for `durationMs`. */
async function liveThrough(durationMs: number, midway: () => Promise<void>) {
  const start = now().getTime();
  let midwayDone = false;
  for (;;) {
    await drainJobs({});
    const elapsed = now().getTime() - start;
    if (!midwayDone && elapsed >= durationMs / 2) {
      midwayDone = true;
      await midway();
    }
    if (elapsed >= durationMs) return;
    const wait = await msUntilNextDueJob();
    expect(wait, "jobs are still waiting").not.toBeNull();
    // Never more than the outage cap between two tries of the same job.
    expect(wait!).toBeLessThanOrEqual(MAX_OUTAGE_DELAY_MS);
    advanceTestClock({ advance_ms: Math.max(1, wait!) });
  }
}

describe("a two-hour GitLab outage", () => {
  it("ends no job, shows the outage, and delivers every note and label once GitLab is back, exactly once", async () => {
    const p = await notesProject(gl, seed);
    expectStatus(
      await gitlabApi.update({ apiKey: p.apiKey }, p.projectId, p.integrationId, { tagging_enabled: true }),
      200,
    );
    const before = [newIssue("Outage A"), newIssue("Outage B")];
    for (const iid of before) await linkItem(p, `#${iid}`);
    await drainUntilIdle();
    for (const iid of before) expect(statusNotes(gl, seed, iid, p.featureId)).toHaveLength(1);
    expect((await integrationView(p)).gitlab_unreachable).toBeNull();

    // An item is linked (linking reads it from GitLab), then GitLab goes down before its note
    // and label go out; changes keep coming.
    const during = newIssue("Outage C");
    await linkItem(p, `#${during}`);
    const down = gl.sim.injectFault({ status: 503, count: -1, retryAfter: 30 });
    gl.sim.clearRequests();
    await flags.setState(p, p.environments[0]!, { enabled: true, feature_state_value: "during" });
    const outageStart = now();
    let dropFault = 0;
    await liveThrough(2 * HOUR_MS, async () => {
      // Halfway: the load balancer gives up too, connections are dropped (network errors).
      gl.sim.removeFault(down);
      dropFault = gl.sim.injectFault({ drop: true, count: -1 });
      await flags.setState(p, p.environments[1]!, { enabled: true, feature_state_value: "final" });
    });

    const jobs = await prisma.job.findMany({ where: { groupKey: integrationJobGroup(p.integrationId) } });
    expect(jobs.filter((job) => job.status === "FAILED")).toEqual([]);
    const waiting = jobs.filter((job) => job.status === "PENDING");
    // A note for each of the three items and a label for the new one.
    expect(waiting.length).toBe(4);
    expect(Math.max(...waiting.map((job) => job.outageRetries))).toBeGreaterThan(20);
    const view = await integrationView(p);
    expect(view.gitlab_unreachable).toEqual({ since: expect.any(String), waiting_jobs: 4 });
    const since = new Date(view.gitlab_unreachable!.since).getTime();
    expect(since - outageStart.getTime()).toBeLessThan(60_000);
    expect(gl.sim.requests().filter((request) => request.status >= 200 && request.status < 300)).toEqual([]);

    // GitLab is back: the next try (at most the outage cap away) succeeds and pulls every other
    // waiting job forward, so one pass of the worker delivers everything.
    gl.sim.removeFault(dropFault);
    advanceTestClock({ advance_ms: Math.max(1, (await msUntilNextDueJob())!) });
    await drainJobs({});
    expect(
      await prisma.job.count({
        where: { groupKey: integrationJobGroup(p.integrationId), status: { not: "SUCCEEDED" } },
      }),
    ).toBe(0);
    expect((await integrationView(p)).gitlab_unreachable).toBeNull();

    for (const iid of [...before, during]) {
      const notes = statusNotes(gl, seed, iid, p.featureId);
      expect(notes).toHaveLength(1);
      expect(environmentRow(notes[0]!.body, "Development")).toMatch(/✅ Enabled \| `during`/);
      expect(environmentRow(notes[0]!.body, "Production")).toMatch(/✅ Enabled \| `final`/);
      expect(issueLabels(iid)).toContain("Flagpost");
    }
    // Exactly once: no successful write went to GitLab twice.
    const writes = gl.sim
      .requests()
      .filter((request) => request.method !== "GET" && request.status >= 200 && request.status < 300)
      .map((request) => `${request.method} ${request.path}`);
    expect(writes.length).toBeGreaterThanOrEqual(4);
    expect(new Set(writes).size).toBe(writes.length);
    // Two simulated hours are a few hundred worker passes: room for a loaded CI machine.
  }, 240_000);
});
