import { describe, expect, it } from "vitest";
import * as featureStateRoute from "@/app/api/v1/environments/[envApiKey]/featurestates/[stateId]/route";
import * as featureStatesRoute from "@/app/api/v1/environments/[envApiKey]/featurestates/route";
import { prisma } from "@/lib/db/client";
import { call, expectError, seedOrganisation, seedProjectMember, sessionHeaders } from "@/tests/support/api";
import {
  createFeature,
  createProjectWithEnvironments,
  expectStatus,
  type TestEnvironment,
} from "@/tests/support/flags";

async function stateOf(featureId: number, environment: TestEnvironment) {
  return prisma.featureState.findUniqueOrThrow({
    where: { featureId_environmentId: { featureId, environmentId: environment.id } },
  });
}

function patchState(
  environment: TestEnvironment,
  stateId: number,
  body: unknown,
  auth: { apiKey?: string; headers?: Record<string, string> },
) {
  return call(
    featureStateRoute.PATCH,
    "PATCH",
    `/api/v1/environments/${environment.api_key}/featurestates/${stateId}/`,
    {
      ...auth,
      params: { envApiKey: environment.api_key, stateId },
      body,
    },
  );
}

describe("feature states API", () => {
  it("toggles a feature in one environment only and audits it with the actor, environment and feature", async () => {
    const { apiKey, organisation } = await seedOrganisation();
    const { project, environments } = await createProjectWithEnvironments(apiKey, ["Staging", "Production"]);
    const [staging, production] = environments as [TestEnvironment, TestEnvironment];
    const feature = await createFeature(apiKey, project.id, { name: "new-checkout" });
    const editor = await seedProjectMember(organisation.id, project.id, "EDITOR");
    const before = await stateOf(feature.id, production);

    const toggled = expectStatus(
      await patchState(
        production,
        before.id,
        { enabled: true },
        { headers: await sessionHeaders(editor.id) },
      ),
      200,
    );
    expect(toggled).toMatchObject({
      id: before.id,
      feature: feature.id,
      environment: production.id,
      enabled: true,
      feature_state_value: null,
    });
    expect(new Date(toggled.updated_at).getTime()).toBeGreaterThan(before.updatedAt.getTime());
    expect((await stateOf(feature.id, staging)).enabled).toBe(false);

    const read = expectStatus(
      await call(
        featureStateRoute.GET,
        "GET",
        `/api/v1/environments/${production.api_key}/featurestates/${before.id}`,
        {
          apiKey,
          params: { envApiKey: production.api_key, stateId: before.id },
        },
      ),
      200,
    );
    expect(read).toEqual(toggled);

    const audit = await prisma.auditLog.findMany({
      where: { featureId: feature.id, entityType: "feature_state" },
    });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: "UPDATE",
      summary: "Enabled new-checkout in Production",
      changes: { enabled: { from: false, to: true } },
      projectId: project.id,
      environmentId: production.id,
      featureId: feature.id,
      entityId: String(before.id),
      actorLabel: editor.email,
      actorUserId: editor.id,
    });

    expectStatus(await patchState(production, before.id, { enabled: false }, { apiKey }), 200);
    const disabled = await prisma.auditLog.findFirstOrThrow({
      where: { featureId: feature.id, entityType: "feature_state" },
      orderBy: { id: "desc" },
    });
    expect(disabled).toMatchObject({
      summary: "Disabled new-checkout in Production",
      actorLabel: expect.stringMatching(/^API key /),
    });
  });

  it("changes values keeping their JSON type, wording the audit summary with both values", async () => {
    const { apiKey } = await seedOrganisation();
    const { project, environments } = await createProjectWithEnvironments(apiKey, ["Staging"]);
    const staging = environments[0]!;
    const feature = await createFeature(apiKey, project.id, { name: "new-checkout", initial_value: "a" });
    const state = await stateOf(feature.id, staging);

    for (const value of ["b", "", 0, false, 42, null, "a"]) {
      const updated = expectStatus(
        await patchState(staging, state.id, { feature_state_value: value }, { apiKey }),
        200,
      );
      expect(updated.feature_state_value).toStrictEqual(value);
      expect(updated.enabled).toBe(false);
    }
    const summaries = (
      await prisma.auditLog.findMany({
        where: { featureId: feature.id, entityType: "feature_state" },
        orderBy: { id: "asc" },
      })
    ).map((row) => row.summary);
    expect(summaries).toEqual([
      'Changed value of new-checkout in Staging from "a" to "b"',
      'Changed value of new-checkout in Staging from "b" to ""',
      'Changed value of new-checkout in Staging from "" to 0',
      "Changed value of new-checkout in Staging from 0 to false",
      "Changed value of new-checkout in Staging from false to 42",
      "Changed value of new-checkout in Staging from 42 to no value",
      'Changed value of new-checkout in Staging from no value to "a"',
    ]);

    const both = expectStatus(
      await patchState(staging, state.id, { enabled: true, feature_state_value: 7 }, { apiKey }),
      200,
    );
    expect(both).toMatchObject({ enabled: true, feature_state_value: 7 });
    const last = await prisma.auditLog.findFirstOrThrow({
      where: { featureId: feature.id },
      orderBy: { id: "desc" },
    });
    expect(last.summary).toBe('Enabled new-checkout in Staging and changed its value from "a" to 7');
    expect(last.changes).toEqual({ enabled: { from: false, to: true }, value: { from: "a", to: 7 } });
  });

  it("writes nothing for a PATCH that changes nothing", async () => {
    const { apiKey } = await seedOrganisation();
    const { project, environments } = await createProjectWithEnvironments(apiKey, ["Production"]);
    const production = environments[0]!;
    const feature = await createFeature(apiKey, project.id, {
      name: "steady",
      default_enabled: true,
      initial_value: 1,
    });
    const state = await stateOf(feature.id, production);

    const same = expectStatus(
      await patchState(production, state.id, { enabled: true, feature_state_value: 1 }, { apiKey }),
      200,
    );
    expect(same).toMatchObject({
      enabled: true,
      feature_state_value: 1,
      updated_at: state.updatedAt.toISOString(),
    });
    // "1" is a different value from 1.
    expectStatus(await patchState(production, state.id, { feature_state_value: "1" }, { apiKey }), 200);
    const audit = await prisma.auditLog.findMany({
      where: { featureId: feature.id, entityType: "feature_state" },
    });
    expect(audit.map((row) => row.changes)).toEqual([{ value: { from: 1, to: "1" } }]);
  });

  it("keeps both of two concurrent PATCHes of different fields, auditing each with exact old values", async () => {
    const { apiKey } = await seedOrganisation();
    const { project, environments } = await createProjectWithEnvironments(apiKey, ["Production"]);
    const production = environments[0]!;
    const feature = await createFeature(apiKey, project.id, { name: "racy", initial_value: "old" });
    const state = await stateOf(feature.id, production);

    const [toggle, revalue] = await Promise.all([
      patchState(production, state.id, { enabled: true }, { apiKey }),
      patchState(production, state.id, { feature_state_value: "new" }, { apiKey }),
    ]);
    expectStatus(toggle, 200);
    expectStatus(revalue, 200);
    expect(await stateOf(feature.id, production)).toMatchObject({
      enabled: true,
      valueType: "STRING",
      value: "new",
    });
    const audit = await prisma.auditLog.findMany({
      where: { featureId: feature.id, entityType: "feature_state" },
    });
    expect(audit.map((row) => row.changes)).toEqual(
      expect.arrayContaining([{ enabled: { from: false, to: true } }, { value: { from: "old", to: "new" } }]),
    );
    expect(audit).toHaveLength(2);
  });

  it("serialises concurrent writes of the same field: each audit row starts where the previous one ended", async () => {
    const { apiKey } = await seedOrganisation();
    const { project, environments } = await createProjectWithEnvironments(apiKey, ["Production"]);
    const production = environments[0]!;
    const feature = await createFeature(apiKey, project.id, { name: "contended", initial_value: 0 });
    const state = await stateOf(feature.id, production);

    const writes = Array.from({ length: 8 }, (_, index) =>
      patchState(production, state.id, { feature_state_value: index + 1 }, { apiKey }),
    );
    for (const result of await Promise.all(writes)) expectStatus(result, 200);

    const audit = await prisma.auditLog.findMany({
      where: { featureId: feature.id, entityType: "feature_state" },
      orderBy: { id: "asc" },
    });
    expect(audit).toHaveLength(8);
    const chain = audit.map((row) => (row.changes as { value: { from: number; to: number } }).value);
    expect(chain[0]!.from).toBe(0);
    chain.slice(1).forEach((link, index) => expect(link.from).toBe(chain[index]!.to));
    expect((await stateOf(feature.id, production)).value).toBe(String(chain.at(-1)!.to));
  });

  it("lists an environment's states with a feature filter and paging", async () => {
    const { apiKey } = await seedOrganisation();
    const { project, environments } = await createProjectWithEnvironments(apiKey, ["Production"]);
    const production = environments[0]!;
    const created = [];
    for (const name of ["c-flag", "a-flag", "b-flag"])
      created.push(await createFeature(apiKey, project.id, { name }));
    const path = `/api/v1/environments/${production.api_key}/featurestates/`;
    const list = (query: string) =>
      call(featureStatesRoute.GET, "GET", `${path}${query}`, {
        apiKey,
        params: { envApiKey: production.api_key },
      });

    const page = expectStatus(await list("?page_size=2"), 200);
    expect(page.count).toBe(3);
    expect(page.results.map((state: { feature: number }) => state.feature)).toEqual([
      created[1].id,
      created[2].id,
    ]);
    expect(page.next).toContain("page=2");
    const filtered = expectStatus(await list(`?feature=${created[0].id}`), 200);
    expect(filtered.results).toEqual([
      expect.objectContaining({ feature: created[0].id, environment: production.id }),
    ]);
    expectError(await list("?feature=abc"), 400, "bad_request");
    // Without the trailing slash too.
    expect(
      expectStatus(
        await call(featureStatesRoute.GET, "GET", path.slice(0, -1), {
          apiKey,
          params: { envApiKey: production.api_key },
        }),
        200,
      ).count,
    ).toBe(3);
  });

  it("refuses viewers (403), strangers (404), bad ids (404), empty or invalid bodies (422) and malformed JSON (400)", async () => {
    const { apiKey, organisation } = await seedOrganisation();
    const { project, environments } = await createProjectWithEnvironments(apiKey, ["Staging", "Production"]);
    const [staging, production] = environments as [TestEnvironment, TestEnvironment];
    const feature = await createFeature(apiKey, project.id, { name: "guarded" });
    const state = await stateOf(feature.id, production);
    const viewer = await seedProjectMember(organisation.id, project.id, "VIEWER");
    const viewerHeaders = await sessionHeaders(viewer.id);

    expectStatus(
      await call(
        featureStateRoute.GET,
        "GET",
        `/api/v1/environments/${production.api_key}/featurestates/${state.id}/`,
        {
          headers: viewerHeaders,
          params: { envApiKey: production.api_key, stateId: state.id },
        },
      ),
      200,
    );
    expectError(
      await patchState(production, state.id, { enabled: true }, { headers: viewerHeaders }),
      403,
      "forbidden",
    );

    const stranger = await seedOrganisation();
    expectError(
      await patchState(production, state.id, { enabled: true }, { apiKey: stranger.apiKey }),
      404,
      "not_found",
    );
    expectError(
      await patchState(
        { ...production, api_key: "no-such-environment" },
        state.id,
        { enabled: true },
        { apiKey },
      ),
      404,
    );
    // A state id from another environment is unknown in this one.
    expectError(await patchState(staging, state.id, { enabled: true }, { apiKey }), 404);
    expectError(await patchState(production, 999_999, { enabled: true }, { apiKey }), 404);

    const empty = await patchState(production, state.id, {}, { apiKey });
    expectError(empty, 422, "unprocessable_entity");
    expect(empty.body.error.details).toEqual([
      {
        field: "body",
        issue: "Send `enabled`, `feature_state_value` or `multivariate_feature_state_values`",
      },
    ]);
    const invalid = await patchState(
      production,
      state.id,
      { enabled: "yes", feature_state_value: { nested: true } },
      { apiKey },
    );
    expectError(invalid, 422);
    expect(invalid.body.error.details.map((detail: { field: string }) => detail.field).sort()).toEqual([
      "body.enabled",
      "body.feature_state_value",
    ]);
    expectError(
      await call(
        featureStateRoute.PATCH,
        "PATCH",
        `/api/v1/environments/${production.api_key}/featurestates/${state.id}/`,
        {
          apiKey,
          params: { envApiKey: production.api_key, stateId: state.id },
          rawBody: "{enabled: true}",
        },
      ),
      400,
      "bad_request",
    );
    expectError(await patchState(production, state.id, { enabled: true }, {}), 401, "unauthorized");
    expect(
      await prisma.auditLog.count({ where: { featureId: feature.id, entityType: "feature_state" } }),
    ).toBe(0);
  });
});
