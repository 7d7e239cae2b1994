import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { GitLabApiError } from "@/lib/gitlab/client/errors";
import {
  claimJobs,
  completeJob,
  enqueueJob,
  enqueueJobs,
  msUntilNextDueJob,
  pruneJobs,
  releaseJob,
  retryFailedJob,
} from "@/lib/jobs/queue";
import { drainJobs, type JobHandlers } from "@/lib/jobs/worker";
import { encryptSecret } from "@/lib/crypto/secret-box";
import { seedOrganisation } from "@/tests/support/api";
import { integrationJobGroup } from "@/lib/gitlab/integration/job-group";
import { defineJobKind } from "@/lib/jobs/registry";
import { z } from "zod";

// The job kinds these tests enqueue, each with its payload schema (checked on enqueue and claim).
defineJobKind("test.echo", z.object({ n: z.number() }));
defineJobKind("test.flaky", z.object({}));
defineJobKind("test.limited", z.object({}));
defineJobKind("test.gitlab", z.object({}));

async function clearJobs() {
  await prisma.job.deleteMany({});
}

/** As if every running job's worker had died long enough ago for its lease to run out. */
async function expireLeases() {
  await prisma.job.updateMany({
    where: { status: "RUNNING" },
    data: { lockedUntil: new Date(Date.now() - 1_000) },
  });
}

const jobs = () => prisma.job.findMany({ orderBy: { id: "asc" } });

describe("job queue", () => {
  it("is an outbox: a rolled-back transaction leaves no job, a committed one does", async () => {
    await clearJobs();
    await expect(
      prisma.$transaction(async (tx) => {
        await enqueueJob(tx, { kind: "test.echo", payload: { n: 1 } });
        throw new Error("change refused");
      }),
    ).rejects.toThrow("change refused");
    expect(await prisma.job.count()).toBe(0);
    await prisma.$transaction((tx) => enqueueJob(tx, { kind: "test.echo", payload: { n: 2 } }));
    expect((await jobs()).map((job) => job.payload)).toEqual([{ n: 2 }]);
  });

  it("coalesces a burst under one key into one pending job, keeping the latest payload", async () => {
    await clearJobs();
    for (let n = 1; n <= 10; n++) {
      await enqueueJob(prisma, {
        kind: "test.echo",
        payload: { n },
        concurrencyKey: "note:1",
        coalesce: true,
        delayMs: 2_000,
      });
    }
    const rows = await jobs();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.payload).toEqual({ n: 10 });
    expect(rows[0]!.runAt.getTime()).toBeGreaterThan(Date.now() + 1_000);
    expect(rows[0]!.runAt.getTime() - rows[0]!.firstQueuedAt.getTime()).toBeLessThanOrEqual(20_000 + 50);
  });

  it("runs each job exactly once with two workers racing", async () => {
    await clearJobs();
    for (let n = 0; n < 120; n++) await enqueueJob(prisma, { kind: "test.echo", payload: { n } });
    const seen: number[] = [];
    const handlers: JobHandlers = {
      "test.echo": async (job) => {
        seen.push(job.payload.n as number);
        await new Promise((resolve) => setTimeout(resolve, 1));
      },
    };
    const [a, b] = await Promise.all([
      drainJobs({ handlers, workerId: "worker-a", batchSize: 7 }),
      drainJobs({ handlers, workerId: "worker-b", batchSize: 7 }),
    ]);
    expect(a.succeeded + b.succeeded).toBe(120);
    expect(new Set(seen).size).toBe(120);
    expect(seen).toHaveLength(120);
    expect(await prisma.job.count({ where: { status: "SUCCEEDED" } })).toBe(120);
  });

  it("hands a crashed worker's job to another once the lease expires, and ignores the late finisher", async () => {
    await clearJobs();
    await enqueueJob(prisma, { kind: "test.echo", payload: { n: 1 } });
    const [first] = await claimJobs("crashed", 5, 60_000);
    expect(first).toBeDefined();
    expect(await claimJobs("other", 5, 60_000)).toHaveLength(0);
    // The lease runs out (moved into the past rather than waited for: no timing in the test).
    await expireLeases();
    const [again] = await claimJobs("other", 5, 60_000);
    expect(again?.id).toBe(first!.id);
    expect(again?.attempts).toBe(2);
    await completeJob(first!.id, "crashed");
    expect((await prisma.job.findUniqueOrThrow({ where: { id: first!.id } })).status).toBe("RUNNING");
    await completeJob(again!.id, "other");
    expect((await prisma.job.findUniqueOrThrow({ where: { id: first!.id } })).status).toBe("SUCCEEDED");
  });

  it("never runs two jobs with the same concurrency key at once", async () => {
    await clearJobs();
    await enqueueJob(prisma, { kind: "test.echo", payload: { n: 1 }, concurrencyKey: "note:7" });
    await enqueueJob(prisma, { kind: "test.echo", payload: { n: 2 }, concurrencyKey: "note:7" });
    await enqueueJob(prisma, { kind: "test.echo", payload: { n: 3 }, concurrencyKey: "note:8" });
    const batch = await claimJobs("w", 10, 60_000);
    expect(batch.map((job) => job.payload.n)).toEqual([1, 3]);
    expect(await claimJobs("w2", 10, 60_000)).toHaveLength(0);
    await completeJob(batch[0]!.id, "w");
    expect((await claimJobs("w2", 10, 60_000)).map((job) => job.payload.n)).toEqual([2]);
  });

  it("lets a crashed job go before a newer job with its key, so the two never run at once", async () => {
    await clearJobs();
    await enqueueJob(prisma, { kind: "test.echo", payload: { n: 1 }, concurrencyKey: "note:3" });
    const [crashed] = await claimJobs("crashed", 5, 60_000);
    await enqueueJob(prisma, { kind: "test.echo", payload: { n: 2 }, concurrencyKey: "note:3" });
    await expireLeases();
    // Even when the newer job comes first in run order, a worker must not take it while the
    // crashed one (expired lease) is there to be reclaimed: the newer one waits its turn.
    await prisma.job.update({ where: { id: crashed!.id }, data: { runAt: new Date(Date.now() + 60_000) } });
    const [first] = await claimJobs("w", 1, 60_000);
    expect(first?.payload).toEqual({ n: 1 });
    expect(await claimJobs("w2", 5, 60_000)).toHaveLength(0);
    await completeJob(first!.id, "w");
    expect((await claimJobs("w2", 5, 60_000)).map((job) => job.payload.n)).toEqual([2]);
  });

  it("enqueues a batch in one statement, merging repeated coalescing keys", async () => {
    await clearJobs();
    await enqueueJobs(prisma, [
      { kind: "test.echo", payload: { n: 1 }, concurrencyKey: "note:4", coalesce: true },
      { kind: "test.echo", payload: { n: 2 } },
      { kind: "test.echo", payload: { n: 3 }, concurrencyKey: "note:4", coalesce: true },
    ]);
    await enqueueJobs(prisma, [
      { kind: "test.echo", payload: { n: 4 }, concurrencyKey: "note:4", coalesce: true },
    ]);
    await enqueueJobs(prisma, []);
    expect(
      (await jobs())
        .map((job) => job.payload)
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    ).toEqual([{ n: 2 }, { n: 4 }]);
  });

  it("retries transient failures with backoff, honours Retry-After, then fails visibly and can be retried", async () => {
    await clearJobs();
    await enqueueJob(prisma, { kind: "test.flaky", payload: {}, maxAttempts: 2 });
    await enqueueJob(prisma, { kind: "test.limited", payload: {} });
    const handlers: JobHandlers = {
      "test.flaky": async () => {
        throw new GitLabApiError(503, "503 Service Unavailable", null, null, "PUT /x");
      },
      "test.limited": async () => {
        throw new GitLabApiError(429, "Retry later", null, 30, "POST /notes");
      },
    };
    await drainJobs({ handlers, workerId: "w" });
    const [firstFlaky, limited] = await jobs();
    let flaky = firstFlaky;
    expect(flaky).toMatchObject({
      status: "PENDING",
      attempts: 1,
      lastError: expect.stringContaining("503"),
    });
    expect(flaky!.runAt.getTime()).toBeGreaterThan(Date.now());
    expect(limited).toMatchObject({ status: "PENDING", attempts: 0 });
    expect(limited!.runAt.getTime() - Date.now()).toBeGreaterThan(28_000);
    await prisma.job.updateMany({ where: { id: flaky!.id }, data: { runAt: new Date(Date.now() - 1) } });
    await drainJobs({ handlers, workerId: "w" });
    [flaky] = await jobs();
    expect(flaky).toMatchObject({ status: "FAILED", attempts: 2 });
    expect(await retryFailedJob(flaky!.id)).toBe(true);
    expect(await prisma.job.findUniqueOrThrow({ where: { id: flaky!.id } })).toMatchObject({
      status: "PENDING",
      attempts: 0,
    });
  });

  it("pauses an integration's jobs when GitLab rejects its token, and resumes after rotation", async () => {
    await clearJobs();
    const { organisation } = await seedOrganisation();
    const project = await prisma.project.create({
      data: { name: "Paused", organisationId: organisation.id },
    });
    const integration = await prisma.gitLabIntegration.create({
      data: {
        projectId: project.id,
        liveProjectId: project.id,
        instanceUrl: "https://gitlab.example.com",
        encryptedToken: encryptSecret("glpat-x"),
        encryptedWebhookSecret: encryptSecret("s"),
      },
    });
    await enqueueJob(prisma, {
      kind: "test.gitlab",
      payload: {},
      groupKey: integrationJobGroup(integration.id),
    });
    await enqueueJob(prisma, {
      kind: "test.gitlab",
      payload: {},
      groupKey: integrationJobGroup(integration.id),
    });
    let calls = 0;
    const handlers: JobHandlers = {
      "test.gitlab": async () => {
        calls++;
        if (calls === 1) throw new GitLabApiError(401, "401 Unauthorized", null, null, "POST /notes");
      },
    };
    await drainJobs({ handlers, workerId: "w", parallelism: 1, batchSize: 1 });
    expect(calls).toBe(1);
    expect(await prisma.gitLabIntegration.findUniqueOrThrow({ where: { id: integration.id } })).toMatchObject(
      { tokenStatus: "INVALID" },
    );
    expect(await prisma.job.count({ where: { status: "PENDING", attempts: 0 } })).toBe(2);
    await prisma.gitLabIntegration.update({ where: { id: integration.id }, data: { tokenStatus: "VALID" } });
    await drainJobs({ handlers, workerId: "w" });
    expect(await prisma.job.count({ where: { status: "SUCCEEDED" } })).toBe(2);
  });

  it("finishes a failed coalescing attempt as superseded when a newer job is already queued", async () => {
    await clearJobs();
    await enqueueJob(prisma, {
      kind: "test.echo",
      payload: { n: 1 },
      concurrencyKey: "note:9",
      coalesce: true,
      delayMs: 0,
    });
    const [running] = await claimJobs("w", 1, 60_000);
    await enqueueJob(prisma, {
      kind: "test.echo",
      payload: { n: 2 },
      concurrencyKey: "note:9",
      coalesce: true,
      delayMs: 0,
    });
    expect(await releaseJob(running!.id, "w", { pendingKey: "note:9", error: "boom" })).toBe("superseded");
    const rows = await jobs();
    expect(rows.map((row) => row.status)).toEqual(["SUCCEEDED", "PENDING"]);
    expect(rows[1]!.pendingKey).toBe("note:9");
  });

  it("prunes old finished jobs only", async () => {
    await clearJobs();
    const old = new Date(Date.now() - 40 * 24 * 3600_000);
    await prisma.job.createMany({
      data: [
        { kind: "a", status: "SUCCEEDED", finishedAt: old },
        { kind: "b", status: "FAILED", finishedAt: old },
        { kind: "c", status: "SUCCEEDED", finishedAt: new Date() },
        { kind: "d", status: "PENDING" },
      ],
    });
    expect(await pruneJobs()).toBe(2);
    expect((await jobs()).map((job) => job.kind)).toEqual(["c", "d"]);
  });

  it("tells the worker when the next job is due, and that nothing is when no job is pending", async () => {
    await clearJobs();
    // Null, not 0: a "due now" answer for an empty queue kept the worker polling it in a tight loop.
    expect(await msUntilNextDueJob()).toBeNull();
    await prisma.job.create({ data: { kind: "a", status: "SUCCEEDED", finishedAt: new Date() } });
    expect(await msUntilNextDueJob()).toBeNull();
    await enqueueJob(prisma, { kind: "test.echo", payload: { n: 1 }, delayMs: 60_000 });
    const wait = await msUntilNextDueJob();
    expect(wait).toBeGreaterThan(50_000);
    expect(wait).toBeLessThanOrEqual(60_000);
    await enqueueJob(prisma, { kind: "test.echo", payload: { n: 2 } });
    expect(await msUntilNextDueJob()).toBe(0);
  });
});
