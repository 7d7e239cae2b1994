import { describe, expect, it, vi } from "vitest";
import * as deliveriesRoute from "@/app/api/v1/projects/[projectId]/integrations/gitlab/[integrationId]/deliveries/route";
import { currentDatabase, prisma } from "@/lib/db/client";
import { encryptSecret } from "@/lib/crypto/secret-box";
import { pruneWebhookDeliveries } from "@/lib/gitlab/webhooks/delivery-log";
import { call, expectError, seedProjectMember, sessionHeaders } from "@/tests/support/api";
import { createFeature } from "@/tests/support/flags";
import {
  INSTANCE_URL,
  BOT,
  issuePayload,
  linkItem,
  mergeRequestPayload,
  postWebhook,
  projectSnapshot,
  SECRET,
  setupWebhookProject,
  tagLabels,
  type Style,
} from "@/tests/support/gitlab-webhooks";

// The webhook receiver through its real route handler and database: authentication and limits,
// which events are used, state-based tagging for every payload generation, metadata refresh,
// ordering and deduplication, and the deliveries panel's API.

const T0 = Date.UTC(2026, 2, 1, 12, 0, 0, 0);
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const issueLink = { type: "GITLAB_ISSUE" as const, gitlabProjectId: 1000, projectPath: "acme/web" };
const mrLink = { type: "GITLAB_MR" as const, gitlabProjectId: 1000, projectPath: "acme/web" };

async function projectWithFeature(options: { taggingEnabled?: boolean } = {}) {
  const project = await setupWebhookProject(options);
  const feature = await createFeature(project.apiKey, project.projectId, {
    name: `checkout_${Math.random().toString(36).slice(2, 8)}`,
  });
  return { ...project, featureId: feature.id as number };
}

const deliveries = (projectId: number) =>
  prisma.webhookDelivery.findMany({ where: { projectId }, orderBy: { id: "asc" } });

describe("authentication and limits", () => {
  it("answers 404 for a project without a live integration, an unknown project and a non-numeric id", async () => {
    const { projectId, integrationId } = await setupWebhookProject();
    const payload = issuePayload({ iid: 1, state: "opened" });
    expectError(await postWebhook(999_999, payload), 404, "not_found");
    expectError(await postWebhook(projectId, payload, { projectParam: "not-a-number" }), 404, "not_found");
    await prisma.gitLabIntegration.update({
      where: { id: integrationId },
      data: { liveProjectId: null, deletedAt: new Date() },
    });
    expectError(await postWebhook(projectId, payload), 404, "not_found");
    expect(await deliveries(projectId)).toEqual([]);
  });

  it("follows changes to the integration made elsewhere (another instance): a new secret, then its deletion", async () => {
    const { projectId, integrationId, featureId } = await projectWithFeature();
    await linkItem(featureId, { ...issueLink, iid: 1 });
    const payload = (minute: number) =>
      issuePayload({ iid: 1, state: "closed", action: "close", updatedAt: at(minute) });
    // The receiver now holds the integration in memory.
    expect((await postWebhook(projectId, payload(1), { idempotencyKey: "k1" })).body.status).toBe("applied");
    // Written straight to the database, as another instance sharing it would.
    const rotated = "rotated-webhook-secret-0123456789";
    await prisma.gitLabIntegration.update({
      where: { id: integrationId },
      data: { encryptedWebhookSecret: encryptSecret(rotated) },
    });
    expectError(await postWebhook(projectId, payload(2), { idempotencyKey: "k2" }), 401, "unauthorized");
    expect(
      (await postWebhook(projectId, payload(2), { idempotencyKey: "k2", token: rotated })).body.status,
    ).toBe("applied");
    // Rotated again while this instance remembers `rotated`: the remembered secret still matches
    // the token, but the statement that accepts checks the row and the delivery is refused.
    const again = "rotated-again-webhook-secret-9876";
    await prisma.gitLabIntegration.update({
      where: { id: integrationId },
      data: { encryptedWebhookSecret: encryptSecret(again) },
    });
    const before = await prisma.webhookDelivery.count({ where: { projectId } });
    expectError(
      await postWebhook(projectId, payload(3), { idempotencyKey: "k3-old", token: rotated }),
      401,
      "unauthorized",
    );
    expect(await prisma.webhookDelivery.count({ where: { projectId } })).toBe(before);
    expect(
      (await postWebhook(projectId, payload(3), { idempotencyKey: "k3", token: again })).body.status,
    ).toBe("applied");
    await prisma.gitLabIntegration.update({
      where: { id: integrationId },
      data: { liveProjectId: null, deletedAt: new Date() },
    });
    expectError(
      await postWebhook(projectId, payload(4), { idempotencyKey: "k4", token: again }),
      404,
      "not_found",
    );
  });

  it("refuses a missing or wrong token with 401, changes nothing and counts it per hour without body or secret", async () => {
    const { projectId, featureId } = await projectWithFeature();
    await linkItem(featureId, { ...issueLink, iid: 1 });
    const before = await projectSnapshot(projectId);
    const payload = issuePayload({ iid: 1, state: "closed", action: "close", updatedAt: at(1) });

    const missing = await postWebhook(projectId, payload, { token: null });
    expectError(missing, 401, "unauthorized");
    const wrong = await postWebhook(projectId, payload, { token: `${SECRET.slice(0, -1)}X` });
    expectError(wrong, 401, "unauthorized");
    expectError(await postWebhook(projectId, payload, { token: "short" }), 401, "unauthorized");

    expect(await projectSnapshot(projectId)).toBe(before);
    // Counted per hour in one row, not logged one row each.
    expect(await deliveries(projectId)).toEqual([]);
    const counted = await prisma.webhookRejection.findMany({ where: { projectId } });
    expect(counted.map((row) => [row.count, row.windowStart.getTime() % 3600_000])).toEqual([[3, 0]]);
    expect(counted[0]!.lastReason).toMatch(/does not match|no X-Gitlab-Token|length/);
    expect(JSON.stringify(counted, (_k, v) => (typeof v === "bigint" ? Number(v) : v))).not.toContain(
      SECRET.slice(0, 12),
    );
    expect(JSON.stringify(wrong.body)).not.toContain(SECRET);
  });

  it("counts a flood of wrong-token requests without hiding or pruning real deliveries", async () => {
    const { projectId, integrationId, featureId } = await projectWithFeature();
    await linkItem(featureId, { ...issueLink, iid: 1 });
    expect(
      (
        await postWebhook(
          projectId,
          issuePayload({ iid: 1, state: "closed", action: "close", updatedAt: at(1) }),
        )
      ).body.status,
    ).toBe("applied");
    for (let batch = 0; batch < 11; batch++) {
      const answers = await Promise.all(
        Array.from({ length: 100 }, () => postWebhook(projectId, {}, { token: "stranger" })),
      );
      expect(answers.every((answer) => answer.status === 401)).toBe(true);
    }
    await pruneWebhookDeliveries(projectId);
    expect((await deliveries(projectId)).map((row) => row.result)).toEqual(["APPLIED"]);
    const rejections = await prisma.webhookRejection.findMany({ where: { integrationId } });
    expect(rejections.reduce((sum, row) => sum + row.count, 0)).toBe(1100);
    expect(rejections.length).toBeLessThanOrEqual(2);
  });

  it("answers 413 above 1 MB without applying anything", async () => {
    const { projectId, featureId } = await projectWithFeature();
    await linkItem(featureId, { ...issueLink, iid: 1 });
    const before = await projectSnapshot(projectId);
    const payload = {
      ...issuePayload({ iid: 1, state: "closed", action: "close" }),
      padding: "x".repeat(1024 * 1024),
    };
    expectError(await postWebhook(projectId, payload), 413, "payload_too_large");
    expect(await projectSnapshot(projectId)).toBe(before);
    expect((await deliveries(projectId)).map((row) => [row.result, row.httpStatus])).toEqual([
      ["ERROR", 413],
    ]);
  });

  it("does not crash on a malformed percent-encoding in an item URL, and logs the delivery", async () => {
    const { projectId, featureId } = await projectWithFeature();
    await linkItem(featureId, { ...issueLink, iid: 1 });
    const payload = issuePayload({ iid: 1, state: "closed" }) as any;
    // Old payloads have no project.path_with_namespace: the path is read from the item's URL.
    delete payload.project.path_with_namespace;
    payload.object_attributes.url = `${INSTANCE_URL}/acme/web%E0%A4%A/-/issues/1`;
    const answer = await postWebhook(projectId, payload, { idempotencyKey: "bad-percent-1" });
    expect(answer.status).toBeLessThan(500);
    expect(JSON.stringify(answer.body)).not.toMatch(/URIError|stack/);
    const rows = await deliveries(projectId);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.httpStatus).toBe(answer.status);
  });

  it("answers 400 with the reason for malformed JSON and payloads missing what is needed, keeping at most 64 KB of body", async () => {
    const { projectId, featureId } = await projectWithFeature();
    await linkItem(featureId, { ...issueLink, iid: 1 });
    const before = await projectSnapshot(projectId);

    const malformed = await postWebhook(projectId, '{"object_kind": "issue",');
    expect(expectError(malformed, 400, "bad_request")).toBe("bad_request");
    expect(malformed.body.error.message).toMatch(/Malformed JSON/);
    expect((await postWebhook(projectId, "[1, 2]")).body.error.message).toMatch(/not a JSON object/);
    const noIid = issuePayload({ iid: 1, state: "closed" }) as any;
    delete noIid.object_attributes.iid;
    expect((await postWebhook(projectId, noIid)).body.error.message).toMatch(/object_attributes\.iid/);
    const badState = issuePayload({ iid: 1, state: "merged" });
    expect((await postWebhook(projectId, badState)).body.error.message).toMatch(
      /state "merged" is not an issue state/,
    );
    const badTime = issuePayload({ iid: 1, state: "closed" }) as any;
    badTime.object_attributes.updated_at = "yesterday";
    expect((await postWebhook(projectId, badTime)).body.error.message).toMatch(
      /updated_at "yesterday" is not a timestamp/,
    );
    const huge = `{"object_kind": "issue", "junk": "${"é".repeat(100_000)}`;
    expectError(await postWebhook(projectId, huge), 400, "bad_request");

    expect(await projectSnapshot(projectId)).toBe(before);
    const rows = await deliveries(projectId);
    expect(rows.every((row) => row.result === "ERROR" && row.httpStatus === 400)).toBe(true);
    expect(rows[0]!.body).toBe('{"object_kind": "issue",');
    const stored = rows.at(-1)!.body!;
    expect(Buffer.byteLength(stored, "utf8")).toBeLessThanOrEqual(64 * 1024);
    expect(stored.startsWith('{"object_kind": "issue", "junk": "éé')).toBe(true);
    expect(stored).not.toContain("\uFFFD");
  });
});

describe("which events are used", () => {
  it("ignores other events with 200 and a reason, without reading the body", async () => {
    const { projectId, featureId } = await projectWithFeature();
    await linkItem(featureId, { ...issueLink, iid: 1 });
    const before = await projectSnapshot(projectId);
    for (const event of ["Push Hook", "Note Hook", "Pipeline Hook", "Some Future Hook"]) {
      const answer = await postWebhook(projectId, "not even json", { event });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ status: "ignored", reason: expect.stringContaining(event) });
    }
    expect(await projectSnapshot(projectId)).toBe(before);
    expect((await deliveries(projectId)).map((row) => row.result)).toEqual([
      "IGNORED",
      "IGNORED",
      "IGNORED",
      "IGNORED",
    ]);
  });

  it("goes by object_kind when X-Gitlab-Event is missing, and refuses a header that contradicts the body", async () => {
    const { projectId, featureId } = await projectWithFeature();
    await linkItem(featureId, { ...issueLink, iid: 1 });
    const closed = await postWebhook(
      projectId,
      issuePayload({ iid: 1, state: "closed", action: "close", updatedAt: at(1) }),
      { event: null },
    );
    expect(closed.body).toMatchObject({ status: "applied", updated_links: 1 });
    expect(
      (
        await postWebhook(
          projectId,
          { ...issuePayload({ iid: 1, state: "opened" }), object_kind: "note" },
          { event: null },
        )
      ).body.status,
    ).toBe("ignored");
    const mismatch = await postWebhook(projectId, mergeRequestPayload({ iid: 1, state: "opened" }), {
      event: "Issue Hook",
    });
    expectError(mismatch, 400, "bad_request");
  });

  it("skips only Flagpost's own label edits, and applies state changes made by the token's GitLab user", async () => {
    const { projectId, featureId } = await projectWithFeature();
    await linkItem(featureId, { ...issueLink, iid: 1, title: "before" });
    await postWebhook(
      projectId,
      issuePayload({ iid: 1, state: "opened", action: "open", updatedAt: at(1), title: "before" }),
    );
    const before = await projectSnapshot(projectId);
    const labelled = {
      ...issuePayload({
        iid: 1,
        state: "opened",
        updatedAt: at(2),
        title: "before",
        labels: ["Flagpost"],
        user: BOT,
      }),
      changes: {
        labels: { previous: [], current: [{ id: 1, title: "Flagpost" }] },
        updated_at: { previous: "x", current: "y" },
      },
    };
    const own = await postWebhook(projectId, labelled);
    expect(own.body).toEqual({
      status: "ignored",
      reason: expect.stringContaining("Flagpost's own label edit"),
    });
    expect(await projectSnapshot(projectId)).toBe(before);

    // The README recommends a personal access token: what that person does in GitLab counts.
    const closedByTokenUser = {
      ...issuePayload({ iid: 1, state: "closed", action: "close", updatedAt: at(3), user: BOT }),
      changes: { state_id: { previous: 1, current: 2 } },
    };
    expect((await postWebhook(projectId, closedByTokenUser)).body.status).toBe("applied");
    expect(await tagLabels(featureId)).toEqual(["Issue Closed"]);
    const legacy = issuePayload({
      style: "legacy",
      iid: 1,
      state: "opened",
      action: "reopen",
      updatedAt: at(4),
      user: { username: BOT.username.toUpperCase() },
    });
    expect((await postWebhook(projectId, legacy)).body.status).toBe("applied");
    expect(await tagLabels(featureId)).toEqual(["Issue Open"]);
  });

  it("ignores group-level work items and work item types that cannot be linked", async () => {
    const { projectId, featureId } = await projectWithFeature();
    await linkItem(featureId, { ...issueLink, iid: 1 });
    const group = issuePayload({ iid: 1, state: "opened", workItemType: "Epic" }) as any;
    delete group.project;
    delete group.object_attributes.project_id;
    expect((await postWebhook(projectId, group)).body).toEqual({
      status: "ignored",
      reason: expect.stringMatching(/Group-level work item/),
    });
    const objective = await postWebhook(
      projectId,
      issuePayload({ iid: 1, state: "closed", workItemType: "Objective" }),
    );
    expect(objective.body).toEqual({
      status: "ignored",
      reason: expect.stringMatching(/Work item type "Objective"/),
    });
    expect(await tagLabels(featureId)).toEqual([]);
  });

  it("answers ignored when the item is not linked in this project", async () => {
    const { projectId } = await projectWithFeature();
    const answer = await postWebhook(projectId, issuePayload({ iid: 77, state: "closed", action: "close" }), {
      idempotencyKey: "k-unlinked",
    });
    expect(answer.body).toEqual({
      status: "ignored",
      reason: "acme/web#77 is not linked to any feature of this project",
    });
    expect((await deliveries(projectId)).map((row) => [row.result, row.itemRef])).toEqual([
      ["IGNORED", "acme/web#77"],
    ]);
  });

  it("audits each tag change in the delivery's transaction, and recreates a lost system tag on the way", async () => {
    const { projectId, featureId } = await projectWithFeature();
    await linkItem(featureId, { ...issueLink, iid: 5 });
    const open = issuePayload({ iid: 5, state: "opened", action: "open", updatedAt: at(1) });
    expect((await postWebhook(projectId, open)).body.status).toBe("applied");
    const audit = await prisma.auditLog.findMany({
      where: { featureId, entityType: "feature_tags" },
      select: { summary: true, actorLabel: true },
    });
    expect(audit).toEqual([{ summary: expect.stringMatching(/Issue Open/), actorLabel: "GitLab webhook" }]);

    // A project that lost one of its system tags takes the step-by-step path, which recreates it.
    await prisma.tag.deleteMany({ where: { projectId, label: "Issue Closed" } });
    const closed = await postWebhook(
      projectId,
      issuePayload({ iid: 5, state: "closed", action: "close", updatedAt: at(2) }),
    );
    expect(closed.body.tag_changes).toEqual([
      expect.objectContaining({ added: ["Issue Closed"], removed: ["Issue Open"] }),
    ]);
    expect(await tagLabels(featureId)).toEqual(["Issue Closed"]);
    expect(await prisma.auditLog.count({ where: { featureId, entityType: "feature_tags" } })).toBe(2);
  });
});

describe("state-based tagging and metadata for every payload generation", () => {
  const styles: Style[] = ["modern", "legacy", "iso-seconds"];

  for (const style of styles) {
    it(`follows an issue through open, close and reopen (${style} payloads)`, async () => {
      const { projectId, featureId } = await projectWithFeature();
      await linkItem(featureId, { ...issueLink, iid: 3 });
      const opened = await postWebhook(
        projectId,
        issuePayload({ style, iid: 3, state: "opened", action: "open", updatedAt: at(1), labels: ["bug"] }),
      );
      expect(opened.status).toBe(200);
      expect(opened.body).toEqual({
        status: "applied",
        updated_links: 1,
        tag_changes: [expect.objectContaining({ feature: featureId, added: ["Issue Open"], removed: [] })],
      });
      expect(await tagLabels(featureId)).toEqual(["Issue Open"]);

      const closed = await postWebhook(
        projectId,
        issuePayload({
          style,
          iid: 3,
          state: "closed",
          action: "close",
          updatedAt: at(2),
          title: "Renamed",
          labels: ["bug", "done"],
        }),
      );
      expect(closed.body.tag_changes).toEqual([
        expect.objectContaining({ added: ["Issue Closed"], removed: ["Issue Open"] }),
      ]);
      expect(await tagLabels(featureId)).toEqual(["Issue Closed"]);
      const link = await prisma.externalResource.findFirstOrThrow({ where: { featureId } });
      expect(link).toMatchObject({
        state: "closed",
        title: "Renamed",
        labels: ["bug", "done"],
        gitlabUpdatedAt: at(2),
        closedAt: at(2),
      });
      expect(link.metadataRefreshedAt).toBeInstanceOf(Date);

      await postWebhook(
        projectId,
        issuePayload({ style, iid: 3, state: "opened", action: "reopen", updatedAt: at(3) }),
      );
      expect(await tagLabels(featureId)).toEqual(["Issue Open"]);
      expect(await prisma.externalResource.findFirstOrThrow({ where: { featureId } })).toMatchObject({
        state: "opened",
        closedAt: null,
      });
    });

    it(`follows a merge request through draft, ready, approval, labels, close, reopen and merge (${style} payloads)`, async () => {
      const { projectId, featureId } = await projectWithFeature();
      await linkItem(featureId, { ...mrLink, iid: 8 });
      const send = (minute: number, options: Partial<Parameters<typeof mergeRequestPayload>[0]>) =>
        postWebhook(
          projectId,
          mergeRequestPayload({ style, iid: 8, state: "opened", updatedAt: at(minute), ...options }),
          { event: "Merge Request Hook" },
        );

      await send(1, { action: "open", draft: true });
      expect(await tagLabels(featureId)).toEqual(["MR Draft"]);
      await send(2, { action: "update", draft: false });
      expect(await tagLabels(featureId)).toEqual(["MR Open"]);
      const approved = await send(3, { action: "approved", title: "Approved title" });
      expect(approved.body).toEqual({ status: "applied", updated_links: 1, tag_changes: [] });
      const labelled = await send(4, { action: "update", title: "Approved title", labels: ["backend"] });
      expect(labelled.body.tag_changes).toEqual([]);
      expect(await tagLabels(featureId)).toEqual(["MR Open"]);
      expect(await prisma.externalResource.findFirstOrThrow({ where: { featureId } })).toMatchObject({
        title: "Approved title",
        labels: ["backend"],
        draft: false,
      });

      await send(5, { action: "close", state: "closed" });
      expect(await tagLabels(featureId)).toEqual(["MR Closed"]);
      expect((await prisma.externalResource.findFirstOrThrow({ where: { featureId } })).closedAt).toEqual(
        at(5),
      );
      await send(6, { action: "reopen" });
      expect(await tagLabels(featureId)).toEqual(["MR Open"]);
      // GitLab may catch the merge while the MR is still "locked": the action decides.
      await send(7, { action: "merge", state: "locked" });
      expect(await tagLabels(featureId)).toEqual(["MR Merged"]);
      expect(await prisma.externalResource.findFirstOrThrow({ where: { featureId } })).toMatchObject({
        state: "merged",
        closedAt: at(7),
      });
    });
  }

  it("keeps cleanup issues out of the Issue tags (they are not the flag's work), while still refreshing them", async () => {
    const { projectId, featureId } = await projectWithFeature();
    const cleanup = await linkItem(featureId, { ...issueLink, iid: 5 });
    await prisma.externalResource.update({ where: { id: cleanup.id }, data: { isCleanupIssue: true } });
    const opened = await postWebhook(
      projectId,
      issuePayload({ iid: 5, state: "opened", action: "open", updatedAt: at(1) }),
    );
    expect(opened.body).toMatchObject({ status: "applied", tag_changes: [] });
    expect(await tagLabels(featureId)).toEqual([]);
    await postWebhook(
      projectId,
      issuePayload({ iid: 5, state: "closed", action: "close", updatedAt: at(2) }),
    );
    expect(await tagLabels(featureId)).toEqual([]);
    expect((await prisma.externalResource.findUniqueOrThrow({ where: { id: cleanup.id } })).state).toBe(
      "closed",
    );
    // The flag's real work still drives the tag.
    await linkItem(featureId, { ...issueLink, iid: 6 });
    await postWebhook(projectId, issuePayload({ iid: 6, state: "opened", action: "open", updatedAt: at(3) }));
    expect(await tagLabels(featureId)).toEqual(["Issue Open"]);
  });

  it("reads draft from work_in_progress alone, then from a Draft: title", async () => {
    const { projectId, featureId } = await projectWithFeature();
    await linkItem(featureId, { ...mrLink, iid: 2 });
    const wipOnly = mergeRequestPayload({
      iid: 2,
      state: "opened",
      action: "update",
      updatedAt: at(1),
      draft: true,
    }) as any;
    delete wipOnly.object_attributes.draft;
    await postWebhook(projectId, wipOnly, { event: "Merge Request Hook" });
    expect(await tagLabels(featureId)).toEqual(["MR Draft"]);
    const titleOnly = mergeRequestPayload({
      iid: 2,
      state: "opened",
      action: "update",
      updatedAt: at(2),
      title: "WIP: still going",
    }) as any;
    delete titleOnly.object_attributes.draft;
    delete titleOnly.object_attributes.work_in_progress;
    await postWebhook(projectId, titleOnly, { event: "Merge Request Hook" });
    expect(await tagLabels(featureId)).toEqual(["MR Draft"]);
  });

  it("keeps Issue Open while another linked issue is open, and keeps issue and MR tags apart", async () => {
    const { projectId, featureId } = await projectWithFeature();
    await linkItem(featureId, { ...issueLink, iid: 1 });
    await linkItem(featureId, { ...issueLink, iid: 2 });
    await linkItem(featureId, { ...mrLink, iid: 1, state: "merged" });
    const closed = await postWebhook(
      projectId,
      issuePayload({ iid: 1, state: "closed", action: "close", updatedAt: at(1) }),
    );
    expect(closed.body).toMatchObject({ status: "applied", updated_links: 1 });
    expect(await tagLabels(featureId)).toEqual(["Issue Open", "MR Merged"]);
    await postWebhook(
      projectId,
      issuePayload({ iid: 2, state: "closed", action: "close", updatedAt: at(2) }),
    );
    expect(await tagLabels(featureId)).toEqual(["Issue Closed", "MR Merged"]);
  });

  it("updates every feature in the project linking the item, and no feature of another project", async () => {
    const { projectId, apiKey } = await setupWebhookProject();
    const features = [];
    for (const name of ["alpha", "beta", "gamma"])
      features.push(await createFeature(apiKey, projectId, { name }));
    for (const feature of features) await linkItem(feature.id, { ...issueLink, iid: 5 });
    const other = await setupWebhookProject();
    const outsider = await createFeature(other.apiKey, other.projectId, { name: "outsider" });
    await linkItem(outsider.id, { ...issueLink, iid: 5 });

    const answer = await postWebhook(
      projectId,
      issuePayload({ iid: 5, state: "closed", action: "close", updatedAt: at(1) }),
    );
    expect(answer.body.updated_links).toBe(3);
    expect(
      answer.body.tag_changes.map((change: { feature_name: string }) => change.feature_name).sort(),
    ).toEqual(["alpha", "beta", "gamma"]);
    for (const feature of features) expect(await tagLabels(feature.id)).toEqual(["Issue Closed"]);
    expect(await tagLabels(outsider.id)).toEqual([]);
    expect(
      (await prisma.externalResource.findFirstOrThrow({ where: { featureId: outsider.id } })).state,
    ).toBe("opened");
    const audits = await prisma.auditLog.findMany({ where: { projectId, entityType: "feature_tags" } });
    expect(audits).toHaveLength(3);
    expect(audits.every((row) => row.actorLabel === "GitLab webhook")).toBe(true);
  });

  it("refreshes metadata only when tagging is off", async () => {
    const { projectId, featureId } = await projectWithFeature({ taggingEnabled: false });
    await linkItem(featureId, { ...issueLink, iid: 4 });
    const answer = await postWebhook(
      projectId,
      issuePayload({ iid: 4, state: "closed", action: "close", updatedAt: at(1), title: "Fresh title" }),
    );
    expect(answer.body).toEqual({ status: "applied", updated_links: 1, tag_changes: [] });
    expect(await tagLabels(featureId)).toEqual([]);
    expect(await prisma.externalResource.findFirstOrThrow({ where: { featureId } })).toMatchObject({
      state: "closed",
      title: "Fresh title",
    });
  });

  it("skips a delivery older than the stored state (out of order), comparing old whole-second timestamps fairly", async () => {
    const { projectId, featureId } = await projectWithFeature();
    await linkItem(featureId, { ...issueLink, iid: 6 });
    await postWebhook(
      projectId,
      issuePayload({ iid: 6, state: "closed", action: "close", updatedAt: new Date(T0 + 120_500) }),
    );
    const stale = await postWebhook(
      projectId,
      issuePayload({ iid: 6, state: "opened", action: "reopen", updatedAt: at(1) }),
    );
    expect(stale.body).toEqual({ status: "ignored", reason: expect.stringMatching(/^Out of order/) });
    expect(await tagLabels(featureId)).toEqual(["Issue Closed"]);
    // The same second without milliseconds (older GitLab) is not older: it applies.
    const sameSecond = await postWebhook(
      projectId,
      issuePayload({
        style: "legacy",
        iid: 6,
        state: "closed",
        action: "update",
        updatedAt: new Date(T0 + 120_000),
        title: "same second",
      }),
    );
    expect(sameSecond.body.status).toBe("applied");
    expect(await prisma.externalResource.findFirstOrThrow({ where: { featureId } })).toMatchObject({
      title: "same second",
      gitlabUpdatedAt: new Date(T0 + 120_500),
    });
  });

  it("matches work item URLs as issues, and finds the project by object_attributes, target_project_id or path", async () => {
    const { projectId, featureId } = await projectWithFeature();
    await linkItem(featureId, { ...issueLink, iid: 9 });
    await linkItem(featureId, { ...mrLink, iid: 9, projectPath: "Acme/Web" });
    const task = issuePayload({
      iid: 9,
      state: "closed",
      action: "close",
      updatedAt: at(1),
      workItemType: "Task",
    }) as any;
    expect(task.object_kind).toBe("work_item");
    expect(task.object_attributes.url).toContain("/-/work_items/9");
    delete task.project.id;
    expect((await postWebhook(projectId, task)).body.updated_links).toBe(1);

    const mr = mergeRequestPayload({ iid: 9, state: "merged", action: "merge", updatedAt: at(2) }) as any;
    delete mr.project.id;
    expect((await postWebhook(projectId, mr, { event: "Merge Request Hook" })).body.updated_links).toBe(1);
    expect(await tagLabels(featureId)).toEqual(["Issue Closed", "MR Merged"]);

    // No id anywhere (GitLab ~10): the path (any case) finds the link.
    const legacy = mergeRequestPayload({
      style: "legacy",
      iid: 9,
      state: "closed",
      action: "close",
      updatedAt: at(3),
    }) as any;
    delete legacy.object_attributes.target_project_id;
    expect((await postWebhook(projectId, legacy, { event: "Merge Request Hook" })).body.updated_links).toBe(
      1,
    );
    expect(await tagLabels(featureId)).toEqual(["Issue Closed", "MR Closed"]);
  });
});

describe("deduplication", () => {
  it("answers a repeated Idempotency-Key (also with a new webhook UUID) as duplicate with no second effect", async () => {
    const { projectId, featureId } = await projectWithFeature();
    await linkItem(featureId, { ...issueLink, iid: 1 });
    const payload = issuePayload({ iid: 1, state: "closed", action: "close", updatedAt: at(1) });
    const first = await postWebhook(projectId, payload, {
      idempotencyKey: "7a0c-key",
      webhookUuid: "uuid-1",
    });
    expect(first.body.status).toBe("applied");
    const audits = await prisma.auditLog.count({ where: { projectId } });
    const snapshot = await projectSnapshot(projectId);
    const resend = await postWebhook(projectId, payload, {
      idempotencyKey: "7a0c-key",
      webhookUuid: "uuid-2",
    });
    expect([resend.status, resend.body]).toEqual([200, { status: "duplicate" }]);
    expect(await prisma.auditLog.count({ where: { projectId } })).toBe(audits);
    expect(await projectSnapshot(projectId)).toBe(snapshot);
    expect((await deliveries(projectId)).map((row) => [row.result, row.dedupeKey])).toEqual([
      ["APPLIED", `${projectId}:7a0c-key`],
      ["DUPLICATE", null],
    ]);
  });

  it("falls back to X-Gitlab-Webhook-UUID, hashes odd keys, and scopes keys per project", async () => {
    const { projectId, featureId } = await projectWithFeature();
    await linkItem(featureId, { ...issueLink, iid: 1 });
    const payload = issuePayload({ iid: 1, state: "closed", action: "close", updatedAt: at(1) });
    expect((await postWebhook(projectId, payload, { webhookUuid: "2f1e-uuid" })).body.status).toBe("applied");
    expect((await postWebhook(projectId, payload, { webhookUuid: "2f1e-uuid" })).body.status).toBe(
      "duplicate",
    );
    const odd = "ключ ".repeat(100);
    expect(
      (await postWebhook(projectId, payload, { idempotencyKey: encodeURIComponent(odd) })).body.status,
    ).toBe("applied");
    expect(
      (await postWebhook(projectId, payload, { idempotencyKey: encodeURIComponent(odd) })).body.status,
    ).toBe("duplicate");
    const row = await prisma.webhookDelivery.findFirstOrThrow({
      where: { projectId, dedupeKey: { contains: "sha256:" } },
    });
    expect(row.dedupeKey!.length).toBeLessThan(100);

    const other = await projectWithFeature();
    await linkItem(other.featureId, { ...issueLink, iid: 1 });
    expect((await postWebhook(other.projectId, payload, { webhookUuid: "2f1e-uuid" })).body.status).toBe(
      "applied",
    );
  });

  it("lets exactly one of two identical deliveries racing each other apply", async () => {
    const { projectId, featureId } = await projectWithFeature();
    await linkItem(featureId, { ...issueLink, iid: 1 });
    const payload = issuePayload({ iid: 1, state: "closed", action: "close", updatedAt: at(1) });
    const answers = await Promise.all(
      [1, 2].map(() => postWebhook(projectId, payload, { idempotencyKey: "race-key" })),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(answers.map((answer) => answer.body.status).sort()).toEqual(["applied", "duplicate"]);
    expect(await tagLabels(featureId)).toEqual(["Issue Closed"]);
    expect(await prisma.auditLog.count({ where: { projectId, entityType: "feature_tags" } })).toBe(1);
  });
});

describe("failures while accepting and applying", () => {
  it("answers 503 when the database is unreachable and 500 (never a 4xx) for any other failure while accepting, logging both, changing nothing", async () => {
    const { projectId, featureId } = await projectWithFeature();
    await linkItem(featureId, { ...issueLink, iid: 1 });
    const before = await projectSnapshot(projectId);
    const payload = issuePayload({ iid: 1, state: "closed", action: "close", updatedAt: at(1) });
    // The accepting insert runs on the database's raw session; make it fail, first as a lost
    // connection does, then with an error of ours.
    const sql = currentDatabase().sql;
    const query = sql.query.bind(sql);
    let failure: Error | null = null;
    const insert = vi.spyOn(sql, "query").mockImplementation((text: string, params?: unknown[]) => {
      if (failure && text.includes("flagpost_accept_webhook_deliveries")) {
        const error = failure;
        failure = null;
        return Promise.reject(error);
      }
      return query(text, params);
    });
    try {
      failure = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
      const down = await postWebhook(projectId, payload, { idempotencyKey: "fail-1" });
      expectError(down, 503, "service_unavailable");
      expect(down.headers.get("retry-after")).toBe("60");
      failure = new TypeError("boom at /srv/flagpost/lib/secret.ts");
      // GitLab ≤ 17 disables a hook for good after a 4xx: our own failure must not be one.
      const ours = await postWebhook(projectId, payload, { idempotencyKey: "fail-1" });
      expectError(ours, 500, "internal_error");
      expect(JSON.stringify(ours.body)).not.toMatch(/boom|srv|TypeError|stack/);
    } finally {
      insert.mockRestore();
    }
    expect(await projectSnapshot(projectId)).toBe(before);
    expect(
      (await deliveries(projectId)).map((row) => [
        row.result,
        row.httpStatus,
        row.reason?.split(": ").at(-1),
      ]),
    ).toEqual([
      ["ERROR", 503, "connect ECONNREFUSED 127.0.0.1:5432"],
      ["ERROR", 500, "boom at /srv/flagpost/lib/secret.ts"],
    ]);
    // Nothing claimed the key: GitLab's resend applies.
    expect((await postWebhook(projectId, payload, { idempotencyKey: "fail-1" })).body.status).toBe("applied");
  });
});

describe("deliveries panel API", () => {
  const list = (
    projectId: number,
    integrationId: number,
    auth: { apiKey?: string; headers?: Record<string, string> },
  ) =>
    call(
      deliveriesRoute.GET,
      "GET",
      `/api/v1/projects/${projectId}/integrations/gitlab/${integrationId}/deliveries/`,
      { ...auth, params: { projectId, integrationId } },
    );

  it("shows project admins the latest deliveries, rejected tokens in 24 h and the last success; others are refused", async () => {
    const { projectId, integrationId, featureId, apiKey, organisationId } = await projectWithFeature();
    await linkItem(featureId, { ...issueLink, iid: 1 });
    await prisma.webhookDelivery.create({
      data: {
        projectId,
        integrationId,
        receivedAt: new Date(Date.now() - 25 * 3600_000),
        result: "REJECTED",
        httpStatus: 401,
        event: "Issue Hook",
      },
    });
    await postWebhook(
      projectId,
      issuePayload({ iid: 1, state: "closed", action: "close", updatedAt: at(1) }),
      { idempotencyKey: "panel-1" },
    );
    await postWebhook(projectId, {}, { token: "nope" });
    await postWebhook(projectId, "{}", { event: "Push Hook" });

    await prisma.webhookRejection.create({
      data: {
        projectId,
        integrationId,
        windowStart: new Date(Date.now() - 30 * 3600_000),
        count: 7,
        lastAt: new Date(Date.now() - 29 * 3600_000),
      },
    });

    const answer = await list(projectId, integrationId, { apiKey });
    expect(answer.status).toBe(200);
    expect(answer.body.rejected_last_24h).toBe(1);
    expect(answer.body.rejected).toEqual([
      {
        window_start: expect.any(String),
        count: 1,
        last_reason: expect.stringMatching(/does not match|length/),
      },
    ]);
    expect(new Date(answer.body.rejected[0].window_start).getTime() % 3600_000).toBe(0);
    // Refused requests are counted, not listed: rows recorded before they were counted no longer show.
    expect(answer.body.results.map((row: { result: string }) => row.result)).toEqual(["ignored", "applied"]);
    expect(answer.body.results[1]).toEqual({
      id: expect.any(Number),
      received_at: expect.any(String),
      event: "Issue Hook",
      action: "close",
      object_kind: "issue",
      item_ref: "acme/web#1",
      result: "applied",
      reason: null,
      http_status: 200,
      duration_ms: expect.any(Number),
      // What it changed: the issue's state and the feature's GitLab tags.
      changes: {
        state: "closed",
        features: [
          { id: featureId, name: expect.any(String), added: expect.any(Array), removed: expect.any(Array) },
        ],
      },
    });
    expect(answer.body.last_success_at).toBe(answer.body.results[0].received_at);
    expect(answer.body.pending).toBe(0);
    expect(JSON.stringify(answer.body)).not.toContain("panel-1");

    const viewer = await seedProjectMember(organisationId, projectId, "VIEWER");
    expectError(
      await list(projectId, integrationId, { headers: await sessionHeaders(viewer.id) }),
      403,
      "forbidden",
    );
    expectError(await list(projectId, integrationId + 1000, { apiKey }), 404, "not_found");
  });

  it("lists at most 100 rows, and pruning keeps 30 days and 1,000 rows per project", async () => {
    const { projectId, integrationId, apiKey } = await setupWebhookProject();
    const now = Date.now();
    const row = (minutesAgo: number) => ({
      projectId,
      integrationId,
      receivedAt: new Date(now - minutesAgo * 60_000),
      result: "IGNORED" as const,
      httpStatus: 200,
    });
    await prisma.webhookDelivery.createMany({ data: Array.from({ length: 1010 }, (_, n) => row(n)) });
    await prisma.webhookDelivery.createMany({ data: [row(31 * 24 * 60), row(40 * 24 * 60)] });
    // Accepted but not applied yet (a burst the drainer is still working through): never pruned.
    await prisma.webhookDelivery.create({ data: { ...row(2000), result: "PENDING" } });
    // Wrong-token counters: one of an hour 31 days ago, one of the last hour.
    const rejection = (minutesAgo: number) => ({
      projectId,
      integrationId,
      windowStart: new Date(now - minutesAgo * 60_000),
      count: 3,
      lastAt: new Date(now - minutesAgo * 60_000),
    });
    await prisma.webhookRejection.createMany({ data: [rejection(31 * 24 * 60), rejection(30)] });
    expect((await list(projectId, integrationId, { apiKey })).body.results).toHaveLength(100);

    expect(await pruneWebhookDeliveries(projectId, new Date(now))).toBe(12);
    const counters = await prisma.webhookRejection.findMany({ where: { projectId } });
    expect(counters.map((counter) => counter.windowStart.getTime())).toEqual([now - 30 * 60_000]);
    const kept = await prisma.webhookDelivery.findMany({
      where: { projectId, result: { not: "PENDING" } },
      select: { receivedAt: true },
    });
    expect(kept).toHaveLength(1000);
    expect(Math.min(...kept.map((k) => k.receivedAt.getTime()))).toBe(now - 999 * 60_000);
    expect(await prisma.webhookDelivery.count({ where: { projectId, result: "PENDING" } })).toBe(1);
  });
});
