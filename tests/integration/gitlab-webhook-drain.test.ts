import { describe, expect, it, vi } from "vitest";
import * as webhookRoute from "@/app/api/v1/gitlab-webhook/[projectId]/route";
import { currentDatabase, prisma } from "@/lib/db/client";
import {
  acceptDelivery,
  applyPendingDeliveries,
  drainBatch,
  drainPendingDeliveries,
  kickDeliveryDrainer,
  receivingDelivery,
} from "@/lib/gitlab/webhooks/drain-deliveries";
import type { ReleaseRulesOption } from "@/lib/gitlab/webhooks/apply-delivery";
import { normaliseDelivery, type WebhookItem } from "@/lib/gitlab/webhooks/normalise-payload";
import { liveIntegrationForWebhook } from "@/lib/gitlab/webhooks/webhook-integration";
import { createFeature } from "@/tests/support/flags";
import {
  INSTANCE_URL,
  issuePayload,
  linkItem,
  projectSnapshot,
  SECRET,
  setupWebhookProject,
  tagLabels,
} from "@/tests/support/gitlab-webhooks";

// Accept now, apply right after: the receiver stores a PENDING row and answers; the drainer applies
// pending rows in batches. What a crash between the two leaves is applied by the next drain; a
// batch holding several events of one item ends in the newest state; two drainers at once apply
// every delivery exactly once. Runs on PGlite and, with TEST_DATABASE_URL, on PostgreSQL.

const T0 = Date.UTC(2026, 4, 1, 9, 0, 0, 0);
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const issueLink = { type: "GITLAB_ISSUE" as const, gitlabProjectId: 1000, projectPath: "acme/web" };
const NO_RULES: ReleaseRulesOption = { enabled: false, actor: { username: null } };

async function projectWithItems(count: number) {
  const project = await setupWebhookProject();
  const features: number[] = [];
  for (let iid = 1; iid <= count; iid++) {
    const feature = await createFeature(project.apiKey, project.projectId, {
      name: `drain_${iid}_${Math.random().toString(36).slice(2, 8)}`,
    });
    await linkItem(feature.id, { ...issueLink, iid });
    features.push(feature.id as number);
  }
  return { ...project, features };
}

function item(iid: number, state: "opened" | "closed", updatedAt: Date): WebhookItem {
  const normalised = normaliseDelivery(
    "Issue Hook",
    JSON.stringify(issuePayload({ iid, state, action: state === "closed" ? "close" : "reopen", updatedAt })),
    { instanceUrl: INSTANCE_URL },
  );
  if (normalised.outcome !== "item") throw new Error(`not an item: ${normalised.outcome}`);
  return normalised.item;
}

/** The facts the receiver records about an issue delivery with this key. */
const deliveryFacts = (projectId: number, integrationId: number, key: string | null, durationMs = 1) => ({
  projectId,
  integrationId,
  receivedAt: new Date(),
  event: "Issue Hook",
  action: "close",
  objectKind: "issue",
  itemRef: "acme/web#1",
  idempotencyKey: key,
  dedupeKey: key ? `${projectId}:${key}` : null,
  durationMs,
});

/** What the receiver stores before it answers 200, without the drain it kicks: a crash right after the 200. */
async function accept(
  projectId: number,
  integrationId: number,
  webhookItem: WebhookItem,
  key: string | null,
  rules = NO_RULES,
) {
  const known = await liveIntegrationForWebhook(projectId);
  const answer = await acceptDelivery(
    { ...deliveryFacts(projectId, integrationId, key), itemRef: webhookItem.ref },
    webhookItem,
    rules,
    known!.fingerprint,
  );
  if (answer === "stale") throw new Error("the integration row changed");
  return answer.id;
}

const isSettled = (promise: Promise<unknown>) =>
  Promise.race([
    promise.then(
      () => true,
      () => true,
    ),
    new Promise((resolve) => setImmediate(() => resolve(false))),
  ]);

const rows = (projectId: number) =>
  prisma.webhookDelivery.findMany({ where: { projectId }, orderBy: { id: "asc" } });
const tagAudits = (projectId: number) =>
  prisma.auditLog.count({ where: { projectId, entityType: "feature_tags" } });

describe("accepting and draining GitLab webhook deliveries", () => {
  it("answers 200 accepted once the delivery is stored, and the drainer applies it", async () => {
    const { projectId, features } = await projectWithItems(1);
    const req = new Request(`http://localhost:3000/api/v1/gitlab-webhook/${projectId}/`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-gitlab-event": "Issue Hook",
        "x-gitlab-token": SECRET,
        "idempotency-key": "accept-1",
      },
      body: JSON.stringify(issuePayload({ iid: 1, state: "closed", action: "close", updatedAt: at(1) })),
    });
    const res = await webhookRoute.POST(req, { params: Promise.resolve({ projectId: String(projectId) }) });
    expect(res.status).toBe(200);
    const answer = await res.json();
    expect(answer).toEqual({ status: "accepted", delivery: expect.stringMatching(/^\d+$/) });
    // The row exists before the answer (whatever the kicked drain has done with it since).
    const [row] = await rows(projectId);
    expect(row!.id.toString()).toBe(answer.delivery);
    expect(row!.dedupeKey).toBe(`${projectId}:accept-1`);

    await drainPendingDeliveries();
    const [applied] = await rows(projectId);
    expect(applied).toMatchObject({ result: "APPLIED", httpStatus: 200, payload: null });
    expect(applied!.changes).toMatchObject({
      state: "closed",
      updated_links: 1,
      features: [{ id: features[0], added: ["Issue Closed"], removed: [] }],
    });
    expect(await tagLabels(features[0]!)).toEqual(["Issue Closed"]);
  });

  it("stores deliveries accepted at the same time with one statement, each answered for itself", async () => {
    const { projectId, integrationId } = await projectWithItems(1);
    const other = await setupWebhookProject();
    const known = (await liveIntegrationForWebhook(projectId))!;
    const closed = item(1, "closed", at(1));
    const db = currentDatabase();
    const statements = vi.spyOn(db.sql, "query");
    try {
      // Every one with this project's fingerprint.
      const acceptAs = (facts: ReturnType<typeof deliveryFacts>) =>
        acceptDelivery(facts, closed, NO_RULES, known.fingerprint);
      const answers = await Promise.allSettled([
        acceptAs(deliveryFacts(projectId, integrationId, "together-1")),
        acceptAs(deliveryFacts(projectId, integrationId, "together-2")),
        // The same key again in the same statement: a duplicate.
        acceptAs(deliveryFacts(projectId, integrationId, "together-1")),
        // Another project's integration, with a fingerprint that is not its row's: stale.
        acceptAs(deliveryFacts(other.projectId, other.integrationId, "together-3")),
        // A row the database refuses (duration out of range) fails alone.
        acceptAs(deliveryFacts(projectId, integrationId, "together-4", 2 ** 31)),
        acceptAs(deliveryFacts(projectId, integrationId, "together-5")),
      ]);
      const values = answers.map((answer) => (answer.status === "fulfilled" ? answer.value : "rejected"));
      expect(values).toEqual([
        { id: expect.any(BigInt) },
        { id: expect.any(BigInt) },
        { id: null },
        "stale",
        "rejected",
        { id: expect.any(BigInt) },
      ]);
      const ids = values.flatMap((value) => (typeof value === "object" && value.id ? [value.id] : []));
      expect(new Set(ids).size).toBe(3);
      // The six went as one statement; after it failed on the bad row, each again on its own.
      const accepting = statements.mock.calls.filter(([sql]) =>
        sql.includes("flagpost_accept_webhook_deliveries"),
      );
      expect(accepting.map(([, params]) => JSON.parse(String(params![0])).length)).toEqual([
        6, 1, 1, 1, 1, 1, 1,
      ]);
    } finally {
      statements.mockRestore();
    }
    const stored = await rows(projectId);
    expect(stored.map((row) => [row.idempotencyKey, row.result])).toEqual([
      ["together-1", "PENDING"],
      ["together-2", "PENDING"],
      ["together-5", "PENDING"],
    ]);
    expect(await rows(other.projectId)).toEqual([]);
    await drainPendingDeliveries();
  });

  it("fails a group at once when the database is away, without trying its rows one by one", async () => {
    const { projectId, integrationId } = await projectWithItems(1);
    const known = (await liveIntegrationForWebhook(projectId))!;
    const db = currentDatabase();
    const original = db.sql.query.bind(db.sql);
    const statements = vi.spyOn(db.sql, "query").mockImplementation(async (sql, params) => {
      if (sql.includes("flagpost_accept_webhook_deliveries"))
        throw Object.assign(new Error("terminating connection due to administrator command"), {
          code: "57P01",
        });
      return original(sql, params);
    });
    try {
      const closed = item(1, "closed", at(1));
      const results = await Promise.allSettled(
        ["away-1", "away-2", "away-3"].map((key) =>
          acceptDelivery(deliveryFacts(projectId, integrationId, key), closed, NO_RULES, known.fingerprint),
        ),
      );
      expect(results.map((result) => result.status)).toEqual(["rejected", "rejected", "rejected"]);
      expect(
        statements.mock.calls.filter(([sql]) => sql.includes("flagpost_accept_webhook_deliveries")),
      ).toHaveLength(1);
    } finally {
      statements.mockRestore();
    }
    expect(await rows(projectId)).toEqual([]);
  });

  it("applies on the next drain what a crash after the 200 left pending", async () => {
    const { projectId, integrationId, features } = await projectWithItems(1);
    const before = await projectSnapshot(projectId);
    const id = await accept(projectId, integrationId, item(1, "closed", at(1)), "crash-1");
    expect(id).not.toBeNull();
    // Nothing applied yet: the row waits, durably.
    expect((await rows(projectId)).map((row) => row.result)).toEqual(["PENDING"]);
    expect(await projectSnapshot(projectId)).toBe(before);

    // A restarted server drains at start-up (startDeliveryDrainer); so does the next delivery.
    await drainPendingDeliveries();
    expect((await rows(projectId)).map((row) => row.result)).toEqual(["APPLIED"]);
    expect(await tagLabels(features[0]!)).toEqual(["Issue Closed"]);
    // A second drain finds nothing left and changes nothing.
    const applied = await projectSnapshot(projectId);
    await drainPendingDeliveries();
    expect(await projectSnapshot(projectId)).toBe(applied);
  });

  it("applies duplicates in one batch once", async () => {
    const { projectId, integrationId, features } = await projectWithItems(1);
    const closed = item(1, "closed", at(1));
    expect(await accept(projectId, integrationId, closed, "twin")).not.toBeNull();
    // The same key again is a duplicate already when accepted: no second row to apply.
    expect(await accept(projectId, integrationId, closed, "twin")).toBeNull();
    // The same event without a key (GitLab < 16.2) twice: both rows, one effect.
    await accept(projectId, integrationId, closed, null);
    await accept(projectId, integrationId, closed, null);

    await drainPendingDeliveries();
    expect((await rows(projectId)).map((row) => row.result)).toEqual(["APPLIED", "APPLIED", "APPLIED"]);
    expect(await tagLabels(features[0]!)).toEqual(["Issue Closed"]);
    expect(await tagAudits(projectId)).toBe(1);
  });

  it("ends a batch holding an item's events in any arrival order in the newest state", async () => {
    const { projectId, integrationId, features } = await projectWithItems(2);
    // Item 1: newest (closed at 3) arrives first, older opened (2) and closed (1) after it.
    await accept(projectId, integrationId, item(1, "closed", at(3)), "a3");
    await accept(projectId, integrationId, item(1, "opened", at(2)), "a2");
    await accept(projectId, integrationId, item(1, "closed", at(1)), "a1");
    // Item 2: the newest event says opened.
    await accept(projectId, integrationId, item(2, "opened", at(5)), "b5");
    await accept(projectId, integrationId, item(2, "closed", at(4)), "b4");

    await drainPendingDeliveries();
    expect(await tagLabels(features[0]!)).toEqual(["Issue Closed"]);
    expect(await tagLabels(features[1]!)).toEqual(["Issue Open"]);
    const links = await prisma.externalResource.findMany({
      where: { featureId: { in: features } },
      orderBy: { iid: "asc" },
    });
    expect(links.map((link) => [link.state, link.gitlabUpdatedAt?.toISOString()])).toEqual([
      ["closed", at(3).toISOString()],
      ["opened", at(5).toISOString()],
    ]);
    // Applied in GitLab's order, so every transition happened and none was undone by an older one.
    expect((await rows(projectId)).every((row) => row.result === "APPLIED")).toBe(true);

    // An older event after the batch is skipped as out of order.
    await accept(projectId, integrationId, item(1, "opened", at(2.5)), "late");
    await drainPendingDeliveries();
    expect((await rows(projectId)).at(-1)).toMatchObject({
      result: "IGNORED",
      reason: expect.stringMatching(/^Out of order/),
    });
    expect(await tagLabels(features[0]!)).toEqual(["Issue Closed"]);
  });

  it("applies a batch in order when one delivery needs the step-by-step path (a lost system tag, release rules)", async () => {
    const { projectId, integrationId, features } = await projectWithItems(3);
    await prisma.tag.deleteMany({ where: { projectId, label: "Issue Closed" } });
    const withRules = { enabled: true, actor: { username: "ada" } };
    // In item order: the first finds the tag missing (the drain function leaves it, and the
    // step-by-step path recreates the tag); the next two go to the function together;
    // the last has release rules on and goes step by step.
    await accept(projectId, integrationId, item(1, "closed", at(1)), "order-1");
    await accept(projectId, integrationId, item(3, "closed", at(2)), "order-2");
    await accept(projectId, integrationId, item(1, "opened", at(3)), "order-3");
    await accept(projectId, integrationId, item(2, "closed", at(4)), "order-4", withRules);

    expect(await applyPendingDeliveries()).toBe(4);
    // Each applied in its turn: none skipped as out of order.
    expect((await rows(projectId)).map((row) => [row.idempotencyKey, row.result])).toEqual([
      ["order-1", "APPLIED"],
      ["order-2", "APPLIED"],
      ["order-3", "APPLIED"],
      ["order-4", "APPLIED"],
    ]);
    expect(await tagLabels(features[0]!)).toEqual(["Issue Open"]);
    expect(await tagLabels(features[1]!)).toEqual(["Issue Closed"]);
    expect(await tagLabels(features[2]!)).toEqual(["Issue Closed"]);
    const changes = (await rows(projectId)).map((row) => row.changes as { state: string } | null);
    expect(changes.map((change) => change?.state)).toEqual(["closed", "closed", "opened", "closed"]);
  });

  it("applies deliveries sharing a feature in one call, in waves, each seeing the ones before", async () => {
    const { projectId, integrationId, features } = await projectWithItems(3);
    await accept(projectId, integrationId, item(1, "closed", at(1)), "wave-1");
    await accept(projectId, integrationId, item(2, "closed", at(2)), "wave-2");
    await accept(projectId, integrationId, item(1, "opened", at(3)), "wave-3"); // item 1 again
    await accept(projectId, integrationId, item(3, "closed", at(4)), "wave-4");
    // One call of the drain function, as the drainer makes it.
    expect(await drainBatch(10)).toMatchObject({ done: 4, left: null });

    // Item 1 was closed, then reopened: each delivery's changes are its own.
    const changes = (await rows(projectId)).map((delivery) => [
      delivery.idempotencyKey,
      delivery.result,
      (delivery.changes as { features: Array<{ added: string[]; removed: string[] }> }).features.map(
        (feature) => [feature.added, feature.removed],
      ),
    ]);
    expect(changes).toEqual([
      ["wave-1", "APPLIED", [[["Issue Closed"], []]]],
      ["wave-2", "APPLIED", [[["Issue Closed"], []]]],
      ["wave-3", "APPLIED", [[["Issue Open"], ["Issue Closed"]]]],
      ["wave-4", "APPLIED", [[["Issue Closed"], []]]],
    ]);
    expect(await tagLabels(features[0]!)).toEqual(["Issue Open"]);
    expect(await tagLabels(features[1]!)).toEqual(["Issue Closed"]);
    expect(await tagLabels(features[2]!)).toEqual(["Issue Closed"]);
  });

  it("finds the links of an item without a GitLab project id by its path", async () => {
    const { projectId, integrationId, features } = await projectWithItems(2);
    // A payload naming the project only by path (any case), in one batch with one naming its id.
    const byPath = { ...item(1, "closed", at(1)), gitlabProjectId: null, projectPath: "ACME/web" };
    await accept(projectId, integrationId, byPath, "path-1");
    await accept(projectId, integrationId, item(2, "closed", at(2)), "id-2");

    await drainPendingDeliveries();
    expect((await rows(projectId)).map((row) => row.result)).toEqual(["APPLIED", "APPLIED"]);
    expect(await tagLabels(features[0]!)).toEqual(["Issue Closed"]);
    expect(await tagLabels(features[1]!)).toEqual(["Issue Closed"]);
  });

  it("records the same results, changes and audit rows through the drain function as step by step", async () => {
    // The same events in two projects: one drained by flagpost_drain_webhook_deliveries, the
    // other (release rules on, none defined) by the TypeScript step-by-step path.
    const drained = async (rules: ReleaseRulesOption) => {
      const project = await setupWebhookProject();
      const both = await createFeature(project.apiKey, project.projectId, { name: "compare_both" });
      const one = await createFeature(project.apiKey, project.projectId, { name: "compare_one" });
      const solo = await createFeature(project.apiKey, project.projectId, { name: "compare_solo" });
      await linkItem(both.id as number, { ...issueLink, iid: 1 });
      await linkItem(both.id as number, { ...issueLink, iid: 2 });
      await linkItem(one.id as number, { ...issueLink, iid: 2 });
      await linkItem(solo.id as number, { ...issueLink, iid: 5 });
      const events: Array<[number, "opened" | "closed", number]> = [
        [1, "closed", 1],
        [5, "closed", 1.5], // applied in one batch with the first: no feature shared
        [2, "closed", 2],
        [1, "opened", 3],
        [9, "closed", 4], // not linked
        [1, "closed", 2.5], // out of order, once the rest was applied
      ];
      for (const [index, [iid, state, minute]] of events.entries()) {
        if (index === events.length - 1) await drainPendingDeliveries();
        const webhookItem = item(iid, state, at(minute));
        await accept(project.projectId, project.integrationId, webhookItem, `${iid}-${minute}`, rules);
      }
      await drainPendingDeliveries();
      const names = new Map([
        [both.id, "compare_both"],
        [one.id, "compare_one"],
        [solo.id, "compare_solo"],
      ]);
      const deliveries = (await rows(project.projectId)).map((row) => {
        const changes = row.changes as { features: Array<{ id: number }> } | null;
        return {
          result: row.result,
          reason: row.reason,
          changes: changes && {
            ...changes,
            features: changes.features.map((feature) => ({ ...feature, id: names.get(feature.id) })),
          },
        };
      });
      const audits = await prisma.auditLog.findMany({
        where: { projectId: project.projectId, entityType: "feature_tags" },
        orderBy: { id: "asc" },
      });
      return {
        deliveries,
        audits: audits.map((audit) => ({
          feature: names.get(audit.featureId!),
          entity: names.get(Number(audit.entityId)),
          action: audit.action,
          actor: [audit.actorLabel, audit.actorUserId],
          organisation: audit.organisationId === project.organisationId,
          summary: audit.summary,
          changes: audit.changes,
        })),
      };
    };
    const throughFunction = await drained(NO_RULES);
    const stepByStep = await drained({ enabled: true, actor: { username: "ada" } });
    expect(throughFunction).toEqual(stepByStep);
    // And they say something: five tag changes, two deliveries ignored with their reasons.
    expect(throughFunction.audits.map((audit) => audit.summary)).toEqual([
      "Tagged compare_both Issue Open",
      "Tagged compare_solo Issue Closed",
      "Tagged compare_both Issue Closed and removed Issue Open",
      "Tagged compare_one Issue Closed",
      "Tagged compare_both Issue Open and removed Issue Closed",
    ]);
    expect(throughFunction.deliveries.map((delivery) => delivery.result)).toEqual([
      "APPLIED",
      "APPLIED",
      "APPLIED",
      "APPLIED",
      "IGNORED",
      "IGNORED",
    ]);
    expect(throughFunction.deliveries[4]!.reason).toMatch(/not linked/);
    expect(throughFunction.deliveries[5]!.reason).toMatch(/^Out of order/);
  });

  it("lets two drainers running at once apply every delivery exactly once", async () => {
    const { projectId, integrationId, features } = await projectWithItems(10);
    // 60 deliveries: each of the 10 items closed, reopened, closed, ... six times, in order.
    let accepted = 0;
    for (let round = 1; round <= 6; round++)
      for (let iid = 1; iid <= 10; iid++) {
        const state = round % 2 === 1 ? "closed" : "opened";
        if (
          await accept(projectId, integrationId, item(iid, state, at(round * 10 + iid)), `r${round}-${iid}`)
        )
          accepted += 1;
      }
    expect(accepted).toBe(60);

    const counts = await Promise.all([applyPendingDeliveries(), applyPendingDeliveries()]);
    // Each row was claimed by exactly one of them, and each applied once: one tag change per transition.
    expect(counts[0]! + counts[1]!).toBe(60);
    const results = await rows(projectId);
    expect(results.map((row) => row.result)).toEqual(Array(60).fill("APPLIED"));
    expect(await tagAudits(projectId)).toBe(60);
    for (const featureId of features) expect(await tagLabels(featureId)).toEqual(["Issue Open"]);
  });

  it("sets aside a delivery that cannot be applied (ERROR, key freed) and applies the rest of its batch", async () => {
    const { projectId, integrationId, features } = await projectWithItems(2);
    const broken = await accept(projectId, integrationId, item(1, "closed", at(1)), "broken");
    await accept(projectId, integrationId, item(2, "closed", at(1)), "fine");
    // A row whose stored item the database refuses (an unknown link type).
    await prisma.$executeRaw`
      UPDATE webhook_deliveries SET payload = jsonb_set(payload, '{item,type}', '"GITLAB_EPIC"') WHERE id = ${broken}`;

    await drainPendingDeliveries();
    const [first, second] = await rows(projectId);
    expect(first).toMatchObject({ result: "ERROR", dedupeKey: null, payload: null });
    expect(first!.reason).toMatch(/^Flagpost could not apply this delivery/);
    expect(second).toMatchObject({ result: "APPLIED" });
    expect(await tagLabels(features[0]!)).toEqual([]);
    expect(await tagLabels(features[1]!)).toEqual(["Issue Closed"]);
    // GitLab's resend of the failed one is accepted again (its key was freed).
    expect(await accept(projectId, integrationId, item(1, "closed", at(1)), "broken")).not.toBeNull();
  });

  it("rests between batches while a delivery is being received, though none was accepted lately", async () => {
    const { projectId, integrationId } = await projectWithItems(1);
    // Batches of this project's rows only.
    await drainPendingDeliveries();
    const batch = currentDatabase().kind === "postgres" ? 25 : 10;
    // One item each (the first linked), so no feature is shared and a batch is full.
    for (let index = 0; index < batch + 3; index++)
      await accept(projectId, integrationId, item(index + 1, "closed", at(index)), `busy-${index}`);
    const applied = async () => (await rows(projectId)).filter((row) => row.result !== "PENDING").length;
    const turns = async (count: number) => {
      for (let turn = 0; turn < count; turn++) await new Promise((resolve) => setImmediate(resolve));
    };
    // The drainer's rest is a fake timer: it ends only when the test moves the clock. The fake
    // clock starts at 0: move it past the last acceptance of earlier tests (real clock).
    const lastAcceptanceBefore = performance.now();
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    let arrive: () => void = () => undefined;
    let drain: Promise<number> | null = null;
    // A delivery waiting for the database (on the embedded database it cannot be accepted while
    // a batch runs, so nothing was accepted lately).
    const receiving = receivingDelivery(() => new Promise<void>((resolve) => (arrive = resolve)));
    try {
      vi.advanceTimersByTime(lastAcceptanceBefore + 1_000);
      drain = drainPendingDeliveries();
      for (let tries = 0; tries < 200 && (await applied()) < batch; tries++) await turns(20);
      expect(await applied()).toBe(batch);
      // The drainer rests after its batch instead of taking the next one at once.
      await turns(200);
      expect(await applied()).toBe(batch);
      arrive();
      await receiving;
      // Nothing is being received any more: the rest goes at once.
      for (let tries = 0; tries < 200 && !(await isSettled(drain)); tries++) {
        vi.advanceTimersByTime(100);
        await turns(20);
      }
      expect(await drain).toBe(batch + 3);
    } finally {
      arrive();
      // A drain left resting would hold up the next test's.
      for (let tries = 0; drain && tries < 100 && !(await isSettled(drain)); tries++) {
        vi.advanceTimersByTime(100);
        await turns(20);
      }
      vi.useRealTimers();
    }
  });

  it("keeps applying while deliveries keep coming (within its 1 s maximum lag), and after a short pause once they stop", async () => {
    const { projectId, integrationId, features } = await projectWithItems(1);
    const results = () => rows(projectId).then((all) => all.map((row) => row.result));
    // The drainer's clock is faked, so deliveries arrive every 5 ms however slow this machine is:
    // never the 20 ms pause that starts a drain early. The database work runs for real, between
    // the steps of the fake clock.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    const step = async (arrival: boolean) => {
      if (arrival) kickDeliveryDrainer();
      vi.advanceTimersByTime(5);
      await new Promise((resolve) => setImmediate(resolve));
    };
    const stepUntil = async (done: () => Promise<boolean>, arrivals: boolean, steps = 200) => {
      for (let count = 0; count < steps && !(await done()); count++) await step(arrivals);
    };
    /** Lets a drain still running (or resting, on the fake clock) finish. */
    const settle = async () => {
      let finished = false;
      const drain = drainPendingDeliveries().finally(() => (finished = true));
      await stepUntil(async () => finished, false);
      await drain;
    };
    try {
      expect(await accept(projectId, integrationId, item(1, "closed", at(1)), "first")).not.toBeNull();
      for (let elapsed = 0; elapsed < 900; elapsed += 5) await step(true);
      // 900 ms of arrivals: within the maximum lag nothing was applied yet…
      expect(await results()).toEqual(["PENDING"]);
      // …and soon after 1 s it is, although deliveries still keep coming.
      await stepUntil(async () => (await results())[0] === "APPLIED", true, 80);
      expect(await results()).toEqual(["APPLIED"]);
      expect(await tagLabels(features[0]!)).toEqual(["Issue Closed"]);
      await settle();

      // Once they stop, a pause of 20 ms is enough: the next delivery is applied without anyone asking.
      expect(await accept(projectId, integrationId, item(1, "opened", at(2)), "second")).not.toBeNull();
      kickDeliveryDrainer();
      await stepUntil(async () => (await results())[1] === "APPLIED", false, 40);
      expect(await results()).toEqual(["APPLIED", "APPLIED"]);
      expect(await tagLabels(features[0]!)).toEqual(["Issue Open"]);
      await settle();
    } finally {
      vi.useRealTimers();
    }
  });
});
