import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as projectRoute from "@/app/api/v1/projects/[projectId]/route";
import * as environmentsRoute from "@/app/api/v1/environments/route";
import { DAY_MS, now } from "@/lib/clock";
import { prisma } from "@/lib/db/client";
import { featureSignals } from "@/lib/flags/stale-flags";
import { listStaleFlags, staleLinkOf } from "@/lib/gitlab/cleanup/stale-flag-list";
import { evaluateStaleness } from "@/lib/flags/staleness";
import { call, expectError, seedProjectMember, sessionHeaders } from "@/tests/support/api";
import {
  countDatabaseOperations,
  createFeature,
  expectStatus,
  type TestEnvironment,
} from "@/tests/support/flags";
import { cleanupApi, testClock } from "@/tests/support/gitlab-cleanup";
import {
  linkItem,
  setupWebhookProject,
  type LinkSpec,
  type WebhookProject,
} from "@/tests/support/gitlab-webhooks";

// The stale-flag view and the features list's `stale` / `ready_to_delete`, on the real database:
// one flag per rule branch, the server's clock moved forward through the test-clock endpoint, the
// SQL predicate checked against the pure rules on every flag, and archive / permanent through PATCH.

const GITLAB = { gitlabProjectId: 1000, projectPath: "acme/web" };
let p: WebhookProject;
let auth: { apiKey: string };
let environments: TestEnvironment[];
let t0: Date;
const ids: Record<string, number> = {};

async function feature(
  name: string,
  links: (Partial<LinkSpec> & { closedAt?: Date | null; isCleanupIssue?: boolean })[] = [],
) {
  const created = await createFeature(auth.apiKey, p.projectId, { name });
  ids[name] = created.id;
  for (const [index, link] of links.entries()) {
    const row = await linkItem(created.id, {
      type: "GITLAB_MR",
      iid: index + 1,
      state: "merged",
      ...GITLAB,
      ...link,
    });
    await prisma.externalResource.update({
      where: { id: row.id },
      data: {
        closedAt: link.closedAt === undefined ? t0 : link.closedAt,
        isCleanupIssue: link.isCleanupIssue ?? false,
      },
    });
  }
  return created.id as number;
}

const at = (days: number) => new Date(t0.getTime() + days * DAY_MS);
const staleNames = async (filters: Record<string, string | number> = {}) =>
  (
    expectStatus(await cleanupApi.staleFlags(auth, p.projectId, filters), 200).results as {
      feature: { name: string };
    }[]
  ).map((row) => row.feature.name);

beforeAll(async () => {
  testClock.enable();
  p = await setupWebhookProject({ gitlabProject: { id: GITLAB.gitlabProjectId, path: GITLAB.projectPath } });
  auth = { apiKey: p.apiKey };
  environments = [];
  for (const name of ["Development", "Staging", "Production"]) {
    environments.push(
      expectStatus(
        await call(environmentsRoute.POST, "POST", "/api/v1/environments/", {
          ...auth,
          body: { name, project: p.projectId },
        }),
        201,
      ),
    );
  }
  t0 = new Date();
  // Every flag below is created now; the clock then moves 15 days on (threshold 14).
  await feature("stale-checkout", [
    { iid: 34 },
    { type: "GITLAB_ISSUE", iid: 12, state: "closed", closedAt: at(-2) },
  ]);
  await feature("stale-elsewhere", [
    {
      type: "GITLAB_ISSUE",
      iid: 5,
      state: "closed",
      gitlabProjectId: 2000,
      projectPath: "acme/other",
      closedAt: at(-30),
    },
  ]);
  await feature("stale-with-open-cleanup", [
    { iid: 7 },
    { type: "GITLAB_ISSUE", iid: 40, state: "opened", closedAt: null, isCleanupIssue: true },
  ]);
  await feature("permanent", [{}]);
  await feature("archived", [{}]);
  await feature("no-links");
  await feature("cleanup-only", [{ type: "GITLAB_ISSUE", state: "closed", isCleanupIssue: true }]);
  await feature("open-issue", [{}, { type: "GITLAB_ISSUE", iid: 9, state: "opened", closedAt: null }]);
  await feature("recently-closed", [{ closedAt: at(5) }]);
  await feature("unknown-close-time", [{ closedAt: null, gitlabUpdatedAt: null }]);
  await feature("update-time-instead", [{ closedAt: null, gitlabUpdatedAt: at(-1) }]);
  const differs = await feature("differs", [{}]);
  const changed = await feature("recently-changed", [{}]);
  const overridden = await feature("overridden", [{}]);

  expectStatus(await cleanupApi.patchFeature(auth, p.projectId, ids.permanent!, { is_permanent: true }), 200);
  expectStatus(await cleanupApi.patchFeature(auth, p.projectId, ids.archived!, { is_archived: true }), 200);
  const production = environments[2]!;
  const differsState = await prisma.featureState.findUniqueOrThrow({
    where: { featureId_environmentId: { featureId: differs, environmentId: production.id } },
  });
  expectStatus(
    await cleanupApi.patchState(auth, production.api_key, differsState.id, { enabled: true }),
    200,
  );
  // Written by the database clock, which the test clock does not move: set it where it would be.
  await prisma.featureState.updateMany({
    where: { featureId: changed, environmentId: production.id },
    data: { updatedAt: at(10) },
  });
  const segment = await prisma.segment.create({ data: { projectId: p.projectId, name: "beta testers" } });
  await prisma.segmentOverride.create({
    data: { featureId: overridden, environmentId: production.id, segmentId: segment.id, enabled: true },
  });
  expectStatus(await testClock.advanceDays(15), 200);
});

afterEach(async () => {
  await prisma.project.update({ where: { id: p.projectId }, data: { staleFlagThresholdDays: 14 } });
});

afterAll(async () => {
  await testClock.reset();
  testClock.disable();
});

describe("the test clock", () => {
  it("moves the time the rules read, and does not exist unless turned on", async () => {
    const clock = expectStatus(await testClock.read(), 200);
    expect(clock.offset_ms).toBe(15 * DAY_MS);
    expect(Math.abs(new Date(clock.now).getTime() - (Date.now() + 15 * DAY_MS))).toBeLessThan(5_000);
    expectError(
      await call(
        (await import("@/app/api/internal/test-clock/route")).POST,
        "POST",
        "/api/internal/test-clock",
        { body: { advance_days: -1 } },
      ),
      422,
    );
    testClock.disable();
    try {
      expectError(await testClock.advanceDays(1), 404, "not_found");
      expectError(await testClock.read(), 404, "not_found");
      expectError(await testClock.reset(), 404, "not_found");
      // Off means the clock moves no more, but what it was moved by still holds until reset.
      expect(now().getTime()).toBeGreaterThan(Date.now() + 14 * DAY_MS);
    } finally {
      testClock.enable();
    }
  });
});

describe("GET /stale-flags/", () => {
  it("lists flags whose work is done and whose state settled, stalest first, with a reason each", async () => {
    const page = expectStatus(await cleanupApi.staleFlags(auth, p.projectId), 200);
    expect(page).toMatchObject({ count: 4, next: null, previous: null, threshold_days: 14 });
    // Settled when their states were created, in this order; "update-time-instead" has no closing time but a GitLab update time.
    expect(page.results.map((row: { feature: { name: string } }) => row.feature.name)).toEqual([
      "stale-checkout",
      "stale-elsewhere",
      "stale-with-open-cleanup",
      "update-time-instead",
    ]);
    const day = t0.toISOString().slice(0, 10);
    const [checkout, elsewhere, withCleanup, fallback] = page.results;
    expect(fallback.reason).toBe(`MR !1 merged 16 days ago; disabled in all 3 environments since ${day}`);
    expect(elsewhere.reason).toBe(
      `issue acme/other#5 closed 45 days ago; disabled in all 3 environments since ${day}`,
    );
    expect(checkout).toMatchObject({
      feature: { id: ids["stale-checkout"], name: "stale-checkout", description: "", is_permanent: false },
      reason: `MR !34 merged 15 days ago; issue #12 closed 17 days ago; disabled in all 3 environments since ${day}`,
      open_cleanup_issue: null,
      ready_to_delete: false,
    });
    expect(
      checkout.linked_items
        .map((link: { metadata: { reference: string } }) => link.metadata.reference)
        .sort(),
    ).toEqual(["!34", "#12"]);
    expect(new Date(checkout.since).getTime()).toBeGreaterThanOrEqual(t0.getTime() + 14 * DAY_MS);
    expect(withCleanup.open_cleanup_issue).toMatchObject({
      is_cleanup_issue: true,
      metadata: { reference: "#40", state: "opened" },
    });
    expect(withCleanup.reason).toMatch(/^MR !7 merged 15 days ago;/);
  });

  it("pages, searches, and follows the project's threshold", async () => {
    const first = expectStatus(await cleanupApi.staleFlags(auth, p.projectId, { page_size: 2 }), 200);
    expect(first.results).toHaveLength(2);
    expect(first.next).toContain("page=2");
    expect(await staleNames({ page: 2, page_size: 2 })).toEqual([
      "stale-with-open-cleanup",
      "update-time-instead",
    ]);
    expect(await staleNames({ search: "CHECKOUT" })).toEqual(["stale-checkout"]);
    expect(await staleNames({ search: "%" })).toEqual([]);
    expectStatus(
      await call(projectRoute.PATCH, "PATCH", `/api/v1/projects/${p.projectId}/`, {
        ...auth,
        params: { projectId: p.projectId },
        body: { stale_flag_threshold_days: 16 },
      }),
      200,
    );
    // Every state was written when the flags were created, 15 days ago.
    expect(await staleNames()).toEqual([]);
    expectStatus(
      await call(projectRoute.PATCH, "PATCH", `/api/v1/projects/${p.projectId}/`, {
        ...auth,
        params: { projectId: p.projectId },
        body: { stale_flag_threshold_days: 5 },
      }),
      200,
    );
    expect(await staleNames()).toEqual([
      "stale-checkout",
      "stale-elsewhere",
      "stale-with-open-cleanup",
      "update-time-instead",
      "recently-closed",
      "recently-changed",
    ]);
  });

  it("is open to viewers and closed to strangers", async () => {
    const viewer = await seedProjectMember(p.organisationId, p.projectId, "VIEWER");
    expect(
      expectStatus(
        await cleanupApi.staleFlags({ headers: await sessionHeaders(viewer.id) }, p.projectId),
        200,
      ).count,
    ).toBe(4);
    const other = await setupWebhookProject();
    expectError(await cleanupApi.staleFlags({ apiKey: other.apiKey }, p.projectId), 404);
  });

  it("costs the same number of queries for a page of 2 as for a page of 20", async () => {
    const many = await setupWebhookProject();
    const production = await prisma.environment.create({
      data: { projectId: many.projectId, name: "Production", apiKey: `prod-${many.projectId}` },
    });
    for (let index = 0; index < 20; index += 1) {
      const flag = await prisma.feature.create({
        data: { projectId: many.projectId, name: `flag-${index}` },
      });
      await prisma.featureState.create({
        data: { featureId: flag.id, environmentId: production.id, updatedAt: at(-1) },
      });
      const link = await linkItem(flag.id, { type: "GITLAB_MR", iid: index + 1, state: "merged", ...GITLAB });
      await prisma.externalResource.update({ where: { id: link.id }, data: { closedAt: at(-1) } });
    }
    const actor = {
      kind: "apiKey" as const,
      apiKeyId: 0,
      organisationId: many.organisationId,
      role: "ADMIN" as const,
      label: "test",
      viaCookie: false as const,
    };
    const small = await countDatabaseOperations(() =>
      listStaleFlags(actor, many.projectId, { page: 1, page_size: 2 }),
    );
    const large = await countDatabaseOperations(() =>
      listStaleFlags(actor, many.projectId, { page: 1, page_size: 20 }),
    );
    expect(small.result.rows).toHaveLength(2);
    expect(large.result.rows).toHaveLength(20);
    expect(large.result.count).toBe(20);
    expect(large.operations).toBe(small.operations);
  });
});

describe("the SQL predicate and the rules agree", () => {
  it("on every branch, at several moments", async () => {
    const rows = await prisma.feature.findMany({
      where: { projectId: p.projectId },
      include: { externalResources: true, states: true, _count: { select: { segmentOverrides: true } } },
    });
    for (const moment of [now(), at(14), at(16), at(30), at(-1)]) {
      const signals = await featureSignals(
        prisma,
        rows.map((row) => row.id),
        moment,
      );
      for (const row of rows) {
        const verdict = evaluateStaleness(
          {
            isPermanent: row.isPermanent,
            archivedAt: row.archivedAt,
            links: row.externalResources.map((link) => staleLinkOf(link, GITLAB.gitlabProjectId)),
            states: row.states,
            segmentOverrideCount: row._count.segmentOverrides,
          },
          moment,
          14,
        );
        expect({ name: row.name, at: moment.toISOString(), stale: signals.get(row.id)?.stale }).toEqual({
          name: row.name,
          at: moment.toISOString(),
          stale: verdict.stale,
        });
      }
    }
  });

  it("at the exact boundary: closed and unchanged exactly the threshold ago counts, a millisecond less does not", async () => {
    const id = ids["stale-checkout"]!;
    const links = await prisma.externalResource.findMany({ where: { featureId: id } });
    const lastClosed = Math.max(...links.map((link) => link.closedAt!.getTime()));
    const states = await prisma.featureState.findMany({ where: { featureId: id } });
    const lastChange = Math.max(...states.map((state) => state.updatedAt.getTime()));
    const settled = Math.max(lastClosed, lastChange);
    const exactly = new Date(settled + 14 * DAY_MS);
    expect((await featureSignals(prisma, [id], exactly)).get(id)?.stale).toBe(true);
    expect((await featureSignals(prisma, [id], new Date(exactly.getTime() - 1))).get(id)?.stale).toBe(false);
  });
});

describe("features list signals", () => {
  it("marks stale flags on the page and hides archived ones unless asked", async () => {
    const list = expectStatus(await cleanupApi.features(auth, p.projectId, { page_size: 100 }), 200);
    const byName = Object.fromEntries(
      list.results.map((row: { name: string; stale: boolean; ready_to_delete: boolean }) => [row.name, row]),
    );
    expect(Object.keys(byName)).not.toContain("archived");
    expect(
      Object.entries(byName)
        .filter(([, row]) => (row as { stale: boolean }).stale)
        .map(([name]) => name)
        .sort(),
    ).toEqual(["stale-checkout", "stale-elsewhere", "stale-with-open-cleanup", "update-time-instead"]);
    expect(byName["cleanup-only"]).toMatchObject({ stale: false, ready_to_delete: true });
    expect(byName["stale-with-open-cleanup"]).toMatchObject({ stale: true, ready_to_delete: false });
    const archived = expectStatus(await cleanupApi.features(auth, p.projectId, { archived: true }), 200);
    expect(archived.results.map((row: { name: string }) => row.name)).toEqual(["archived"]);
    expect(archived.results[0]).toMatchObject({ is_archived: true, stale: false });
    expect(
      expectStatus(await cleanupApi.feature(auth, p.projectId, ids["stale-checkout"]!), 200),
    ).toMatchObject({ stale: true, ready_to_delete: false });
  });
});

describe("PATCH is_permanent / is_archived", () => {
  it("marks a flag permanent (off the stale list) and back, audited, for editors only", async () => {
    const id = ids["stale-elsewhere"]!;
    const viewer = await seedProjectMember(p.organisationId, p.projectId, "VIEWER");
    expectError(
      await cleanupApi.patchFeature({ headers: await sessionHeaders(viewer.id) }, p.projectId, id, {
        is_permanent: true,
      }),
      403,
    );
    const editor = await seedProjectMember(p.organisationId, p.projectId, "EDITOR");
    const asEditor = { headers: await sessionHeaders(editor.id) };
    expect(
      expectStatus(await cleanupApi.patchFeature(asEditor, p.projectId, id, { is_permanent: true }), 200),
    ).toMatchObject({ is_permanent: true, stale: false });
    expect(await staleNames()).not.toContain("stale-elsewhere");
    expect(
      expectStatus(await cleanupApi.patchFeature(asEditor, p.projectId, id, { is_permanent: false }), 200),
    ).toMatchObject({ is_permanent: false, stale: true });
    const audit = await prisma.auditLog.findMany({
      where: { featureId: id, entityType: "feature", action: "UPDATE" },
      orderBy: { id: "asc" },
    });
    expect(audit.map((row) => [row.summary, row.changes])).toEqual([
      ["Marked feature stale-elsewhere as permanent", { is_permanent: { from: false, to: true } }],
      ["Marked feature stale-elsewhere as no longer permanent", { is_permanent: { from: true, to: false } }],
    ]);
    // Sending what is already there changes and audits nothing.
    expectStatus(
      await cleanupApi.patchFeature(asEditor, p.projectId, id, { is_permanent: false, is_archived: false }),
      200,
    );
    expect(
      await prisma.auditLog.count({ where: { featureId: id, entityType: "feature", action: "UPDATE" } }),
    ).toBe(2);
  });

  it("archives (hidden from the list, history and links kept) and restores, audited", async () => {
    const id = ids["stale-checkout"]!;
    const archived = expectStatus(
      await cleanupApi.patchFeature(auth, p.projectId, id, { is_archived: true }),
      200,
    );
    expect(archived).toMatchObject({ is_archived: true, stale: false, linked_items_count: 2 });
    const stored = await prisma.feature.findUniqueOrThrow({ where: { id } });
    // Archived at the server's (moved) clock.
    expect(stored.archivedAt!.getTime()).toBeGreaterThan(Date.now() + 14 * DAY_MS);
    const visible = expectStatus(await cleanupApi.features(auth, p.projectId, { page_size: 100 }), 200);
    expect(visible.results.map((row: { id: number }) => row.id)).not.toContain(id);
    expect(await staleNames()).not.toContain("stale-checkout");
    expect(await prisma.externalResource.count({ where: { featureId: id } })).toBe(2);
    expect(await prisma.featureState.count({ where: { featureId: id } })).toBe(3);

    const restored = expectStatus(
      await cleanupApi.patchFeature(auth, p.projectId, id, { is_archived: false }),
      200,
    );
    expect(restored).toMatchObject({ is_archived: false, stale: true });
    expect(await staleNames()).toContain("stale-checkout");
    const audit = await prisma.auditLog.findMany({
      where: { featureId: id, entityType: "feature", action: "UPDATE" },
      orderBy: { id: "asc" },
    });
    expect(audit.map((row) => [row.summary, row.changes])).toEqual([
      ["Archived feature stale-checkout", { is_archived: { from: false, to: true } }],
      ["Restored feature stale-checkout", { is_archived: { from: true, to: false } }],
    ]);
  });

  it("refuses values that are not booleans", async () => {
    expectError(
      await cleanupApi.patchFeature(auth, p.projectId, ids["no-links"]!, { is_archived: "yes" }),
      422,
    );
    expectError(await cleanupApi.patchFeature(auth, p.projectId, ids["no-links"]!, { is_permanent: 1 }), 422);
  });
});
