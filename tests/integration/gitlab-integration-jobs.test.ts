import { integrationJobGroup } from "@/lib/gitlab/integration/job-group";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as retryRoute from "@/app/api/v1/projects/[projectId]/integrations/gitlab/[integrationId]/jobs/[jobId]/retry/route";
import * as jobsRoute from "@/app/api/v1/projects/[projectId]/integrations/gitlab/[integrationId]/jobs/route";
import type { DemoSeed } from "@/tools/gitlab-sim/seed";
import { startGitLabSimulator, type GitLabSimulator } from "@/tools/gitlab-sim/server";
import { prisma } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { maskTokens } from "@/lib/gitlab/integration/integration-jobs";
import { STATUS_NOTE_JOB } from "@/lib/gitlab/notes/status-note-outbox";
import { call, expectError, seedProjectMember, sessionHeaders, type CallOptions } from "@/tests/support/api";
import { expectStatus } from "@/tests/support/flags";
import {
  drainUntilIdle,
  linkItem,
  notesProject,
  statusNotes,
  type NotesProject,
} from "@/tests/support/gitlab-notes";

// The Background jobs panel's endpoints: counts and failed jobs with their error (never a token),
// and Retry, for project admins only.

process.env.FLAGPOST_JOB_DEBOUNCE_MS = "0";
resetEnvForTests();

let gl: GitLabSimulator;
let seed: DemoSeed;

beforeAll(async () => {
  gl = await startGitLabSimulator({ port: 0 });
  seed = gl.sim.seedDemo();
});
afterAll(() => gl.close());

type Auth = Pick<CallOptions, "apiKey" | "headers">;
const base = (p: NotesProject) =>
  `/api/v1/projects/${p.projectId}/integrations/gitlab/${p.integrationId}/jobs/`;
const list = (auth: Auth, p: NotesProject, status?: string) =>
  call(jobsRoute.GET, "GET", `${base(p)}${status ? `?status=${status}` : ""}`, {
    ...auth,
    params: { projectId: p.projectId, integrationId: p.integrationId },
  });
const retry = (auth: Auth, p: NotesProject, jobId: number, integrationId = p.integrationId) =>
  call(retryRoute.POST, "POST", `${base(p)}${jobId}/retry/`, {
    ...auth,
    params: { projectId: p.projectId, integrationId, jobId },
  });

/** A project whose status-note job for issue #iid failed (GitLab answered 404 to the comment). */
async function failedJobProject(iid: number) {
  const p = await notesProject(gl, seed);
  await linkItem(p, `#${iid}`);
  gl.sim.injectFault({ status: 404, method: "POST", pathPattern: `/issues/${iid}/notes$` });
  await drainUntilIdle();
  return p;
}

describe("GET …/integrations/gitlab/{id}/jobs/", () => {
  it("counts waiting, running and failed jobs and lists failed ones with their item, feature and error", async () => {
    const p = await failedJobProject(1);
    await linkItem(p, "#2");
    const all = expectStatus(await list({ apiKey: p.apiKey }, p), 200);
    expect(all.counts).toEqual({ pending: 1, running: 0, failed: 1 });
    const failed = expectStatus(await list({ apiKey: p.apiKey }, p, "failed"), 200);
    expect(failed.results).toEqual([
      {
        id: expect.any(Number),
        kind: STATUS_NOTE_JOB,
        description: "Status comment",
        status: "FAILED",
        attempts: 1,
        max_attempts: 12,
        last_error: `#1 in GitLab project ${seed.projectId} no longer exists in GitLab or is hidden from the integration's token.`,
        feature: { id: p.featureId, name: p.featureName },
        item: `${seed.projectPath}#1`,
        run_at: expect.any(String),
        created_at: expect.any(String),
        finished_at: expect.any(String),
      },
    ]);
    expect(
      expectStatus(await list({ apiKey: p.apiKey }, p, "pending"), 200).results.map(
        (job: { item: string }) => job.item,
      ),
    ).toEqual([`${seed.projectPath}#2`]);
    expectError(await list({ apiKey: p.apiKey }, p, "exploded"), 400);
  });

  it("never shows a token, even one quoted in an error", async () => {
    const p = await failedJobProject(3);
    await prisma.job.updateMany({
      where: { groupKey: integrationJobGroup(p.integrationId), status: "FAILED" },
      data: { lastError: `GitLab said: bad token ${p.token}` },
    });
    const answer = await list({ apiKey: p.apiKey }, p, "failed");
    expect(JSON.stringify(answer.body)).not.toContain(p.token);
    expect(answer.body.results[0].last_error).toBe("GitLab said: bad token [token]");
    expect(
      maskTokens("glpat-abcdefghijklmnop and glrt-12345678901 stay hidden; glpat-x is too short to be one"),
    ).toBe("[token] and [token] stay hidden; glpat-x is too short to be one");
  });

  it("is for project admins: editors get 403, other projects' integrations 404", async () => {
    const p = await failedJobProject(4);
    const project = await prisma.project.findUniqueOrThrow({ where: { id: p.projectId } });
    const editor = await seedProjectMember(project.organisationId, p.projectId, "EDITOR");
    expectError(await list({ headers: await sessionHeaders(editor.id) }, p), 403);
    const other = await notesProject(gl, seed);
    expectError(
      await call(jobsRoute.GET, "GET", base(p), {
        apiKey: other.apiKey,
        params: { projectId: other.projectId, integrationId: p.integrationId },
      }),
      404,
    );
  });
});

describe("POST …/jobs/{job_id}/retry/", () => {
  it("runs a failed job again with fresh attempts; the comment then arrives", async () => {
    const p = await failedJobProject(5);
    const [job] = expectStatus(await list({ apiKey: p.apiKey }, p, "failed"), 200).results;
    expectStatus(await retry({ apiKey: p.apiKey }, p, job.id), 204);
    expect(await prisma.job.findUniqueOrThrow({ where: { id: BigInt(job.id) } })).toMatchObject({
      status: "PENDING",
      attempts: 0,
    });
    await drainUntilIdle();
    expect(statusNotes(gl, seed, 5, p.featureId)).toHaveLength(1);
    expect(expectStatus(await list({ apiKey: p.apiKey }, p), 200).counts).toEqual({
      pending: 0,
      running: 0,
      failed: 0,
    });
  });

  it("refuses jobs that have not failed (409), of another integration or unknown (404), and non-admins (403)", async () => {
    const p = await failedJobProject(6);
    const [failed] = expectStatus(await list({ apiKey: p.apiKey }, p, "failed"), 200).results;
    await linkItem(p, "#7");
    const [pending] = expectStatus(await list({ apiKey: p.apiKey }, p, "pending"), 200).results;
    expectError(await retry({ apiKey: p.apiKey }, p, pending.id), 409, "conflict");
    const other = await failedJobProject(2);
    const [foreign] = expectStatus(await list({ apiKey: other.apiKey }, other, "failed"), 200).results;
    expectError(await retry({ apiKey: p.apiKey }, p, foreign.id), 404);
    expectError(await retry({ apiKey: p.apiKey }, p, 999_999_999), 404);
    const project = await prisma.project.findUniqueOrThrow({ where: { id: p.projectId } });
    const viewer = await seedProjectMember(project.organisationId, p.projectId, "VIEWER");
    expectError(await retry({ headers: await sessionHeaders(viewer.id) }, p, failed.id), 403);
    expect(await prisma.job.findUniqueOrThrow({ where: { id: BigInt(failed.id) } })).toMatchObject({
      status: "FAILED",
    });
  });
});
