import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_TOKENS, type DemoSeed } from "@/tools/gitlab-sim/seed";
import { startGitLabSimulator, type GitLabSimulator } from "@/tools/gitlab-sim/server";
import type { DeliveryRecord } from "@/tools/gitlab-sim/types";
import { prisma } from "@/lib/db/client";
import { syncFeatureGitLabTags } from "@/lib/gitlab/links/feature-tags";
import { WEBHOOK_ACTOR } from "@/lib/gitlab/webhooks/apply-delivery";
import { createFeature } from "@/tests/support/flags";
import {
  linkItem,
  SECRET,
  setupWebhookProject,
  startWebhookReceiver,
  tagLabels,
} from "@/tests/support/gitlab-webhooks";

// Real deliveries end to end: the GitLab simulator changes issues and merge requests and POSTs its
// webhooks (GitLab's headers, modern and legacy bodies, resends) over HTTP to a small server that
// hands each request to the route handler, as Next.js would.

let gl: GitLabSimulator;
let seed: DemoSeed;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let receiverUrl: string;

beforeAll(async () => {
  gl = await startGitLabSimulator({ port: 0 });
  seed = gl.sim.seedDemo();
  receiver = await startWebhookReceiver();
  receiverUrl = receiver.url;
});

afterAll(async () => {
  await gl?.close();
  await receiver?.close();
});

const answerOf = (delivery: DeliveryRecord | undefined) => {
  expect(delivery?.error ?? null).toBeNull();
  return { status: delivery!.response!.status, body: JSON.parse(delivery!.response!.body) };
};

describe("deliveries from the GitLab simulator", () => {
  it("tags features as issues close, MRs merge and go ready, ignores echoes and notes, and dedupes resends", async () => {
    const bot = gl.sim.tokenInfo(DEMO_TOKENS.maintainer);
    const { projectId, apiKey } = await setupWebhookProject({
      instanceUrl: gl.url,
      gitlabProject: { id: seed.projectId, path: seed.projectPath },
      tokenUser: { id: bot.user_id, username: bot.username },
    });
    gl.sim.registerHook(seed.projectId, {
      url: `${receiverUrl}/api/v1/gitlab-webhook/${projectId}/`,
      token: SECRET,
      issues_events: true,
      confidential_issues_events: true,
      merge_requests_events: true,
      note_events: true,
    });
    const gitlab = { gitlabProjectId: seed.projectId, projectPath: seed.projectPath };
    const a = await createFeature(apiKey, projectId, { name: "new_checkout" });
    const b = await createFeature(apiKey, projectId, { name: "checkout_copy" });
    const c = await createFeature(apiKey, projectId, { name: "stale_flags" });
    await linkItem(a.id, { ...gitlab, type: "GITLAB_ISSUE", iid: 1 });
    await linkItem(a.id, { ...gitlab, type: "GITLAB_MR", iid: 1 });
    await linkItem(b.id, { ...gitlab, type: "GITLAB_ISSUE", iid: 1 });
    await linkItem(c.id, { ...gitlab, type: "GITLAB_ISSUE", iid: 3 });
    await linkItem(c.id, { ...gitlab, type: "GITLAB_MR", iid: 2, draft: true });
    await prisma.$transaction((tx) =>
      syncFeatureGitLabTags(tx, projectId, [a.id, b.id, c.id], WEBHOOK_ACTOR),
    );
    expect(await tagLabels(a.id)).toEqual(["Issue Open", "MR Open"]);
    expect(await tagLabels(c.id)).toEqual(["Issue Open", "MR Draft"]);

    const [closed] = await gl.sim.issueAction(seed.projectId, 1, "close", {}, { userId: seed.users.alice });
    expect(closed!.request.headers["Idempotency-Key"]).toBeTruthy();
    expect(answerOf(closed)).toEqual({
      status: 200,
      body: expect.objectContaining({ status: "applied", updated_links: 2 }),
    });
    expect(await tagLabels(a.id)).toEqual(["Issue Closed", "MR Open"]);
    expect(await tagLabels(b.id)).toEqual(["Issue Closed"]);

    const merged = await gl.sim.mergeRequestAction(
      seed.projectId,
      1,
      "merge",
      {},
      { userId: seed.users.alice },
    );
    expect(merged.map((delivery) => answerOf(delivery).status)).toEqual(merged.map(() => 200));
    expect(await tagLabels(a.id)).toEqual(["Issue Closed", "MR Merged"]);
    expect(
      await prisma.externalResource.findFirstOrThrow({ where: { featureId: a.id, type: "GITLAB_MR" } }),
    ).toMatchObject({ state: "merged", closedAt: expect.any(Date) });

    await gl.sim.markDraft(seed.projectId, 2, false, { userId: seed.users.bob });
    const [taskClosed] = await gl.sim.issueAction(
      seed.projectId,
      3,
      "close",
      {},
      { userId: seed.users.alice },
    );
    expect(taskClosed!.objectKind).toBe("work_item");
    expect(answerOf(taskClosed).body.status).toBe("applied");
    expect(await tagLabels(c.id)).toEqual(["Issue Closed", "MR Open"]);

    // GitLab's "Resend request" keeps the Idempotency-Key.
    const resent = await gl.sim.resendDelivery(closed!.id);
    expect(answerOf(resent)).toEqual({ status: 200, body: { status: "duplicate" } });

    // Flagpost's own label edit comes back as a webhook: ignored. So are comments.
    const [echo] = await gl.sim.setLabels(seed.projectId, "issue", 1, ["Flagpost"], { userId: bot.user_id });
    expect(answerOf(echo).body).toEqual({
      status: "ignored",
      reason: expect.stringContaining("Flagpost's own label edit"),
    });
    expect(
      (await prisma.externalResource.findFirstOrThrow({ where: { featureId: a.id, type: "GITLAB_ISSUE" } }))
        .labels,
    ).not.toContain("Flagpost");
    const note = await gl.sim.addNote(seed.projectId, "issue", 1, { body: "Looks good" });
    expect(answerOf(note.deliveries[0]).body.status).toBe("ignored");

    // GitLab 16.0 with legacy bodies: no Idempotency-Key or webhook UUID, no project.id, no draft.
    gl.sim.setVersion("16.0.0");
    gl.sim.setPayloadStyle("legacy");
    const [reopened] = await gl.sim.issueAction(seed.projectId, 1, "reopen", {}, { userId: seed.users.bob });
    expect(reopened!.request.headers["Idempotency-Key"]).toBeUndefined();
    expect(answerOf(reopened).body).toMatchObject({ status: "applied", updated_links: 2 });
    expect(await tagLabels(b.id)).toEqual(["Issue Open"]);
    await gl.sim.markDraft(seed.projectId, 2, true, { userId: seed.users.bob });
    expect(await tagLabels(c.id)).toEqual(["Issue Closed", "MR Draft"]);

    const results = await prisma.webhookDelivery.groupBy({
      by: ["result"],
      where: { projectId },
      _count: true,
    });
    expect(Object.fromEntries(results.map((row) => [row.result, row._count]))).toEqual({
      APPLIED: 6,
      DUPLICATE: 1,
      IGNORED: 2,
    });
  });

  it("is refused with 401 when the hook carries the wrong secret, and GitLab records the failure", async () => {
    const { projectId, integrationId } = await setupWebhookProject({
      instanceUrl: gl.url,
      gitlabProject: { id: seed.projectId, path: seed.projectPath },
    });
    const hook = gl.sim.registerHook(seed.projectId, {
      url: `${receiverUrl}/api/v1/gitlab-webhook/${projectId}`,
      token: "stale-secret",
      issues_events: true,
    });
    await gl.sim.issueAction(seed.projectId, 6, "close", {}, { userId: seed.users.alice });
    const [delivery] = gl.sim.deliveries({ hookId: hook.id });
    expect(delivery).toMatchObject({ success: false, response: { status: 401 } });
    // Counted for the panel, not logged as a delivery (strangers could flush the log).
    expect(await prisma.webhookDelivery.findMany({ where: { projectId } })).toEqual([]);
    expect(
      await prisma.webhookRejection.findMany({
        where: { projectId },
        select: { integrationId: true, count: true },
      }),
    ).toEqual([{ integrationId, count: 1 }]);
  });
});
