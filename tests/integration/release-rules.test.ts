import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoSeed } from "@/tools/gitlab-sim/seed";
import { startGitLabSimulator, type GitLabSimulator } from "@/tools/gitlab-sim/server";
import type { DeliveryRecord } from "@/tools/gitlab-sim/types";
import { prisma } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { claimJobs } from "@/lib/jobs/queue";
import { drainJobs } from "@/lib/jobs/worker";
import { APPLY_FIRING_JOB, applyReleaseFiring } from "@/lib/release-rules/firings";
import { expectError, seedProjectMember, sessionHeaders } from "@/tests/support/api";
import { expectStatus } from "@/tests/support/flags";
import { drainUntilIdle, linkItem, statusNotes, type NotesProject } from "@/tests/support/gitlab-notes";
import {
  issuePayload,
  mergeRequestPayload,
  postWebhook,
  startWebhookReceiver,
} from "@/tests/support/gitlab-webhooks";
import { rulesApi, rulesProject, stateIn, type Receiver } from "@/tests/support/release-rules";

// Release rules end to end: rules written through the API (with the protected-environment
// permission), the GitLab simulator merging, closing and reverting merge requests and delivering
// its webhooks to the real route handler, the real job worker carrying the change out.

process.env.FLAGPOST_JOB_DEBOUNCE_MS = "0";
resetEnvForTests();

let gl: GitLabSimulator;
let seed: DemoSeed;
let receiver: Receiver;

beforeAll(async () => {
  gl = await startGitLabSimulator({ port: 0 });
  seed = gl.sim.seedDemo();
  receiver = await startWebhookReceiver();
});

afterAll(async () => {
  await gl?.close();
  await receiver?.close();
});

const newMergeRequest = (title: string) =>
  gl.sim.createMergeRequest(seed.projectId, {
    title,
    source_branch: `feature/${Math.random().toString(36).slice(2, 8)}`,
    author_id: seed.users.alice,
  }).iid as number;

/** The answer Flagpost gave the simulator for this project's hook. */
function answerFor(p: NotesProject, deliveries: DeliveryRecord[]) {
  const mine = deliveries.filter((delivery) => delivery.url.includes(`/gitlab-webhook/${p.projectId}/`));
  expect(mine.length).toBeGreaterThan(0);
  return mine.map((delivery) => {
    expect(delivery.error).toBeNull();
    return { status: delivery.response!.status, body: JSON.parse(delivery.response!.body) };
  });
}

const [development, production] = [0, 1];

async function linkMergeRequest(p: NotesProject, iid: number) {
  return (await linkItem(p, `!${iid}`, "GITLAB_MR")).id;
}

async function createRule(p: NotesProject, body: Record<string, unknown>) {
  return expectStatus(await rulesApi.create({ apiKey: p.apiKey }, p.projectId, p.featureId, body), 201);
}

const firingAudits = (p: NotesProject) =>
  prisma.auditLog.findMany({
    where: { featureId: p.featureId, entityType: "feature_state" },
    orderBy: { id: "asc" },
  });

describe("release rules API", () => {
  it("lets editors automate unprotected environments only, admins any; pause and delete", async () => {
    const p = await rulesProject(gl, seed, receiver);
    const mr = await linkMergeRequest(p, newMergeRequest("Permissions"));
    const issue = (await linkItem(p, "#1")).id;
    const [dev, prod] = [p.environments[development]!, p.environments[production]!];
    expect(prod.protected).toBe(true);
    const project = await prisma.project.findUniqueOrThrow({ where: { id: p.projectId } });
    const editor = await seedProjectMember(project.organisationId, p.projectId, "EDITOR");
    const asEditor = { headers: await sessionHeaders(editor.id) };

    const refused = await rulesApi.create(asEditor, p.projectId, p.featureId, {
      external_resource: mr,
      trigger: "merged",
      action: "enable",
      environments: [prod.api_key],
    });
    expectError(refused, 403, "forbidden");
    expect(refused.body.error.message).toContain("Production is protected");

    const mine = expectStatus(
      await rulesApi.create(asEditor, p.projectId, p.featureId, {
        external_resource: mr,
        trigger: "merged",
        action: "enable",
        environments: [dev.api_key],
      }),
      201,
    );
    expect(mine).toMatchObject({
      trigger: "merged",
      action: "enable",
      environments: [dev.api_key],
      environment_names: ["Development"],
      delay_seconds: 0,
      paused: false,
      status: "waiting",
      scheduled_change: null,
    });
    const admins = await createRule(p, {
      external_resource: mr,
      trigger: "merged",
      action: "set_value",
      value: "v2",
      environments: [prod.api_key],
      delay_seconds: 3600,
    });
    expect(admins).toMatchObject({ action: "set_value", value: "v2", delay_seconds: 3600 });

    // The editor cannot pause or delete the admin's rule on a protected environment.
    expectError(await rulesApi.update(asEditor, p.projectId, p.featureId, admins.id, { paused: true }), 403);
    expectError(await rulesApi.remove(asEditor, p.projectId, p.featureId, admins.id), 403);

    // Bad input: an issue cannot merge, unknown environment, a set_value without a value, a foreign link.
    const bad = (body: Record<string, unknown>) =>
      rulesApi.create({ apiKey: p.apiKey }, p.projectId, p.featureId, {
        external_resource: mr,
        trigger: "merged",
        action: "enable",
        environments: [dev.api_key],
        ...body,
      });
    expectError(await bad({ external_resource: issue }), 422);
    expectError(await bad({ environments: ["no-such-env"] }), 422);
    expectError(await bad({ action: "set_value" }), 422);
    expectError(await bad({ external_resource: 2_000_000_000 }), 422);
    expectError(await bad({ delay_seconds: -1 }), 422);

    const paused = expectStatus(
      await rulesApi.update({ apiKey: p.apiKey }, p.projectId, p.featureId, mine.id, { paused: true }),
      200,
    );
    expect(paused).toMatchObject({ paused: true, status: "paused" });
    expectStatus(await rulesApi.remove({ apiKey: p.apiKey }, p.projectId, p.featureId, admins.id), 204);
    const listed = expectStatus(await rulesApi.list({ apiKey: p.apiKey }, p.projectId, p.featureId), 200);
    expect(listed.results.map((rule: { id: number }) => rule.id)).toEqual([mine.id]);
    const audits = await prisma.auditLog.findMany({
      where: { featureId: p.featureId, entityType: "release_rule" },
      orderBy: { id: "asc" },
    });
    expect(audits.map((row) => row.summary)).toEqual([
      expect.stringMatching(/^Added release rule #\d+ .*When MR !\d+ merges: enable in Development$/),
      expect.stringMatching(/^Added release rule .*set the value to "v2" in Production 1 h later$/),
      `Paused release rule #${mine.id} of ${p.featureName}`,
      expect.stringMatching(/^Deleted release rule #\d+/),
    ]);
  });
});

describe("release rules fired by GitLab", () => {
  it("merge → enable at once and after a delay that survives a crashed worker; never twice", async () => {
    const p = await rulesProject(gl, seed, receiver);
    const iid = newMergeRequest("Staged rollout");
    const mr = await linkMergeRequest(p, iid);
    const [dev, prod] = [p.environments[development]!, p.environments[production]!];
    const now = await createRule(p, {
      external_resource: mr,
      trigger: "merged",
      action: "enable",
      environments: [dev.api_key],
    });
    const later = await createRule(p, {
      external_resource: mr,
      trigger: "merged",
      action: "enable",
      environments: [prod.api_key],
      delay_seconds: 86_400,
    });
    await drainUntilIdle();
    const [before] = statusNotes(gl, seed, iid, p.featureId, "merge_request");
    expect(before!.body).toContain(
      `⏳ will enable in Production 1 d after this MR merges (rule #${later.id})`,
    );
    expect(before!.body).toContain(`⏳ will enable in Development when this MR merges (rule #${now.id})`);

    const merged = await gl.sim.mergeRequestAction(
      seed.projectId,
      iid,
      "merge",
      {},
      { userId: seed.users.alice },
    );
    expect(answerFor(p, merged)).toEqual([
      { status: 200, body: expect.objectContaining({ status: "applied", fired_rules: 2 }) },
    ]);
    // The immediate rule's job is due; the delayed one waits a day.
    await drainJobs({ budgetMs: 5_000 });
    expect((await stateIn(p.featureId, dev.id)).enabled).toBe(true);
    expect((await stateIn(p.featureId, prod.id)).enabled).toBe(false);
    const [change] = expectStatus(await rulesApi.scheduled({ apiKey: p.apiKey }, p.projectId), 200).results;
    expect(change).toMatchObject({
      rule: later.id,
      feature_name: p.featureName,
      item: `MR !${iid}`,
      environment_names: ["Production"],
      cause: `MR !${iid} merged by @alice in GitLab`,
    });
    expect(new Date(change.run_at).getTime() - Date.now()).toBeGreaterThan(86_000_000);
    const [afterMerge] = statusNotes(gl, seed, iid, p.featureId, "merge_request");
    expect(afterMerge!.body).toMatch(/⏳ will enable in Production at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    expect(afterMerge!.body).not.toContain("in Development when this MR merges");

    // A day passes; a worker claims the job and dies before finishing (its lease runs out).
    await prisma.job.updateMany({
      where: { kind: APPLY_FIRING_JOB, status: "PENDING", payload: { equals: { firingId: change.id } } },
      data: { runAt: new Date(Date.now() - 1000) },
    });
    const claimed = await claimJobs("crashed-worker", 10, 1);
    expect(claimed.map((job) => job.kind)).toContain(APPLY_FIRING_JOB);
    await new Promise((resolve) => setTimeout(resolve, 5));
    // The restarted worker picks it up.
    await drainUntilIdle();
    expect((await stateIn(p.featureId, prod.id)).enabled).toBe(true);
    const audits = await firingAudits(p);
    expect(audits.map((row) => [row.actorLabel, row.summary])).toEqual([
      [`rule #${now.id}: MR !${iid} merged by @alice in GitLab`, `Enabled ${p.featureName} in Development`],
      [`rule #${later.id}: MR !${iid} merged by @alice in GitLab`, `Enabled ${p.featureName} in Production`],
    ]);
    // The job run again (a crash after its commit) changes nothing.
    await applyReleaseFiring({ payload: { firingId: change.id } });
    expect(await firingAudits(p)).toHaveLength(2);
    const [final] = statusNotes(gl, seed, iid, p.featureId, "merge_request");
    expect(final!.body).not.toContain("⏳");
    // Recent changes name the rule and its cause (Markdown-escaped).
    expect(final!.body).toContain(`rule \\#${later.id}: MR \\!${iid} merged by \\@alice in GitLab: Enabled`);
    expect(expectStatus(await rulesApi.scheduled({ apiKey: p.apiKey }, p.projectId), 200).results).toEqual(
      [],
    );
    const rules = expectStatus(await rulesApi.list({ apiKey: p.apiKey }, p.projectId, p.featureId), 200);
    expect(rules.results.map((rule: { status: string }) => rule.status)).toEqual(["fired", "fired"]);
  });

  it("fires once whatever duplicates, re-sends and out-of-order deliveries arrive", async () => {
    const p = await rulesProject(gl, seed, receiver);
    const dev = p.environments[development]!;
    const issueIid = gl.sim.createIssue(seed.projectId, { title: "Launch", author_id: seed.users.alice })
      .iid as number;
    const issue = (await linkItem(p, `#${issueIid}`)).id;
    await createRule(p, {
      external_resource: issue,
      trigger: "closed",
      action: "enable",
      environments: [dev.api_key],
    });
    const closing = await gl.sim.issueAction(
      seed.projectId,
      issueIid,
      "close",
      {},
      { userId: seed.users.alice },
    );
    const closed = closing.find((delivery) => delivery.url.includes(`/gitlab-webhook/${p.projectId}/`));
    expect(answerFor(p, [closed!])[0]!.body).toMatchObject({ status: "applied", fired_rules: 1 });
    // GitLab's "Resend request" (same key), the same event under a new key, an older "opened" event.
    const resent = await gl.sim.resendDelivery(closed!.id);
    expect(answerFor(p, [resent])[0]!.body).toEqual({ status: "duplicate" });
    const body = JSON.parse(closed!.request.body);
    const again = await postWebhook(p.projectId, body, { idempotencyKey: "another-key" });
    expect(again.body).toMatchObject({ status: "applied" });
    expect(again.body.fired_rules).toBeUndefined();
    const older = issuePayload({
      gitlabProjectId: seed.projectId,
      projectPath: seed.projectPath,
      iid: issueIid,
      state: "opened",
      updatedAt: new Date(Date.now() - 3_600_000),
    });
    const outOfOrder = await postWebhook(p.projectId, older, { idempotencyKey: "older-event" });
    expect(outOfOrder.body).toMatchObject({
      status: "ignored",
      reason: expect.stringContaining("Out of order"),
    });
    await drainUntilIdle();
    expect(await prisma.releaseRuleFiring.count({ where: { featureId: p.featureId } })).toBe(1);
    expect(await firingAudits(p)).toHaveLength(1);

    // Someone disables it by hand; the issue is reopened and closed again: a new transition fires.
    await prisma.featureState.update({
      where: { id: (await stateIn(p.featureId, dev.id)).id },
      data: { enabled: false },
    });
    await gl.sim.issueAction(seed.projectId, issueIid, "reopen", {}, { userId: seed.users.alice });
    await gl.sim.issueAction(seed.projectId, issueIid, "close", {}, { userId: seed.users.alice });
    await drainUntilIdle();
    expect(await prisma.releaseRuleFiring.count({ where: { featureId: p.featureId } })).toBe(2);
    expect((await stateIn(p.featureId, dev.id)).enabled).toBe(true);
  });

  it("revert or close without merging → disable; paused rules, cancelled changes and integrations with rules off do nothing", async () => {
    const p = await rulesProject(gl, seed, receiver);
    const [dev, prod] = [p.environments[development]!, p.environments[production]!];
    const shipped = newMergeRequest("Ship it");
    const abandoned = newMergeRequest("Abandoned");
    const delayed = newMergeRequest("Delayed");
    const [shippedLink, abandonedLink, delayedLink] = [
      await linkMergeRequest(p, shipped),
      await linkMergeRequest(p, abandoned),
      await linkMergeRequest(p, delayed),
    ];
    await createRule(p, {
      external_resource: shippedLink,
      trigger: "merged",
      action: "enable",
      environments: [dev.api_key],
    });
    const onRevert = await createRule(p, {
      external_resource: shippedLink,
      trigger: "closed_unmerged",
      action: "disable",
      environments: [dev.api_key],
    });
    await createRule(p, {
      external_resource: abandonedLink,
      trigger: "closed_unmerged",
      action: "set_value",
      value: 0,
      environments: [prod.api_key],
    });
    const pausedRule = await createRule(p, {
      external_resource: abandonedLink,
      trigger: "closed_unmerged",
      action: "enable",
      environments: [prod.api_key],
    });
    expectStatus(
      await rulesApi.update({ apiKey: p.apiKey }, p.projectId, p.featureId, pausedRule.id, { paused: true }),
      200,
    );
    await createRule(p, {
      external_resource: delayedLink,
      trigger: "merged",
      action: "enable",
      environments: [prod.api_key],
      delay_seconds: 600,
    });

    await gl.sim.mergeRequestAction(seed.projectId, shipped, "merge", {}, { userId: seed.users.alice });
    await drainJobs({ budgetMs: 5_000 });
    expect((await stateIn(p.featureId, dev.id)).enabled).toBe(true);

    const reverted = await gl.sim.revertMergeRequest(
      seed.projectId,
      shipped,
      { merge: true },
      { userId: seed.users.bob },
    );
    const answers = answerFor(p, reverted.deliveries);
    // GitLab's Revert button opens a merge request (hook: open, state "opened"; the original stays
    // merged), which fires nothing; its merge (description "This reverts merge request !N") fires.
    expect(
      reverted.deliveries
        .filter((delivery) => delivery.url.includes(`/gitlab-webhook/${p.projectId}/`))
        .map((delivery) => {
          const { action, state } = (
            delivery.request.payload as { object_attributes: Record<string, string> }
          ).object_attributes;
          return [action, state];
        }),
    ).toEqual([
      ["open", "opened"],
      ["merge", "merged"],
    ]);
    expect(answers.map((answer) => answer.body.fired_rules ?? 0)).toEqual([0, 1]);
    expect(gl.sim.getMergeRequest(seed.projectId, shipped)?.state).toBe("merged");
    await drainJobs({ budgetMs: 5_000 });
    expect((await stateIn(p.featureId, dev.id)).enabled).toBe(false);
    const [revertAudit] = (await firingAudits(p)).slice(-1);
    expect(revertAudit!.actorLabel).toBe(
      `rule #${onRevert.id}: MR !${shipped} reverted by !${reverted.merge_request!.iid} by @bob in GitLab`,
    );

    await gl.sim.mergeRequestAction(seed.projectId, abandoned, "close", {}, { userId: seed.users.alice });
    await drainJobs({ budgetMs: 5_000 });
    expect(await stateIn(p.featureId, prod.id)).toMatchObject({
      enabled: false,
      valueType: "INTEGER",
      value: "0",
    });

    // A delayed change cancelled before it is due never happens.
    await gl.sim.mergeRequestAction(seed.projectId, delayed, "merge", {}, { userId: seed.users.alice });
    const [scheduled] = expectStatus(
      await rulesApi.scheduled({ apiKey: p.apiKey }, p.projectId),
      200,
    ).results;
    expectStatus(await rulesApi.cancel({ apiKey: p.apiKey }, p.projectId, scheduled.id), 204);
    expectError(await rulesApi.cancel({ apiKey: p.apiKey }, p.projectId, scheduled.id), 409);
    await applyReleaseFiring({ payload: { firingId: scheduled.id } });
    expect((await stateIn(p.featureId, prod.id)).enabled).toBe(false);

    // Release rules off (the default): a merge fires nothing.
    const off = await rulesProject(gl, seed, receiver, { releaseRules: false });
    const quiet = newMergeRequest("Quiet");
    const quietLink = await linkMergeRequest(off, quiet);
    await createRule(off, {
      external_resource: quietLink,
      trigger: "merged",
      action: "enable",
      environments: [off.environments[development]!.api_key],
    });
    const deliveries = await gl.sim.mergeRequestAction(
      seed.projectId,
      quiet,
      "merge",
      {},
      { userId: seed.users.alice },
    );
    const [answer] = answerFor(off, deliveries);
    expect(answer!.body).toMatchObject({ status: "applied" });
    expect(answer!.body.fired_rules).toBeUndefined();
    expect(await prisma.releaseRuleFiring.count({ where: { featureId: off.featureId } })).toBe(0);
  });

  it("reads GitLab's revert marker only from merged merge requests", async () => {
    const p = await rulesProject(gl, seed, receiver);
    const iid = newMergeRequest("Reverted later, maybe");
    const link = await linkMergeRequest(p, iid);
    await createRule(p, {
      external_resource: link,
      trigger: "closed_unmerged",
      action: "disable",
      environments: [p.environments[development]!.api_key],
    });
    const revertMr = (state: string, key: string) => {
      const payload = mergeRequestPayload({
        gitlabProjectId: seed.projectId,
        projectPath: seed.projectPath,
        iid: 999_999,
        state,
      });
      (payload.object_attributes as Record<string, unknown>).description =
        `This reverts merge request !${iid}`;
      return postWebhook(p.projectId, payload, { idempotencyKey: key, event: "Merge Request Hook" });
    };
    expect((await revertMr("opened", "revert-open")).body).toMatchObject({ status: "ignored" });
    expect(await prisma.releaseRuleFiring.count({ where: { featureId: p.featureId } })).toBe(0);
    expect((await revertMr("merged", "revert-merged")).body).toMatchObject({
      status: "applied",
      fired_rules: 1,
    });
    expect(await prisma.releaseRuleFiring.count({ where: { featureId: p.featureId } })).toBe(1);
  });

  it("names the Flagpost user linked to the GitLab user who merged", async () => {
    const p = await rulesProject(gl, seed, receiver);
    const organisationId = (await prisma.project.findUniqueOrThrow({ where: { id: p.projectId } }))
      .organisationId;
    const alice = await prisma.user.findFirstOrThrow({
      where: { organisationMemberships: { some: { organisationId } } },
    });
    await prisma.user.update({
      where: { id: alice.id },
      data: { name: "Alice Smith", gitlabUsername: "Alice" },
    });
    const iid = newMergeRequest("Attributed");
    const link = await linkMergeRequest(p, iid);
    const dev = p.environments[development]!;
    const rule = await createRule(p, {
      external_resource: link,
      trigger: "merged",
      action: "enable",
      environments: [dev.api_key],
    });
    await gl.sim.mergeRequestAction(seed.projectId, iid, "merge", {}, { userId: seed.users.alice });
    // (drainUntilIdle would wait for the delayed jobs earlier tests left due in the future.)
    await drainJobs({ budgetMs: 5_000 });
    await drainJobs({ budgetMs: 5_000 });
    expect((await stateIn(p.featureId, dev.id)).enabled).toBe(true);
    const [audit] = await firingAudits(p);
    expect(audit).toMatchObject({
      actorLabel: `rule #${rule.id}: MR !${iid} merged by Alice Smith (@alice in GitLab)`,
      actorUserId: alice.id,
    });
    const [note] = statusNotes(gl, seed, iid, p.featureId, "merge_request");
    expect(note!.body).toContain("Alice Smith");
  });
});
