import { describe, expect, it } from "vitest";
import * as serverKeyRoute from "@/app/api/v1/environments/[envApiKey]/api-keys/[keyId]/route";
import * as serverKeysRoute from "@/app/api/v1/environments/[envApiKey]/api-keys/route";
import * as stateRoute from "@/app/api/v1/environments/[envApiKey]/featurestates/[stateId]/route";
import * as segmentOverrideRoute from "@/app/api/v1/projects/[projectId]/features/[featureId]/segment-overrides/[overrideId]/route";
import * as segmentOverridesRoute from "@/app/api/v1/projects/[projectId]/features/[featureId]/segment-overrides/route";
import * as optionRoute from "@/app/api/v1/projects/[projectId]/features/[featureId]/mv-options/[optionId]/route";
import * as optionsRoute from "@/app/api/v1/projects/[projectId]/features/[featureId]/mv-options/route";
import { hashApiKey } from "@/lib/auth/api-keys";
import { prisma } from "@/lib/db/client";
import { findActiveServerKey } from "@/lib/flags/server-keys";
import { call, expectError, seedOrganisation, seedProjectMember, sessionHeaders } from "@/tests/support/api";
import {
  createFeature,
  createProjectWithEnvironments,
  expectStatus,
  type TestEnvironment,
} from "@/tests/support/flags";

async function setUp() {
  const { apiKey, organisation } = await seedOrganisation();
  const { project, environments } = await createProjectWithEnvironments(apiKey, ["Staging", "Production"]);
  const [staging, production] = environments as [TestEnvironment, TestEnvironment];
  const feature = await createFeature(apiKey, project.id, { name: "button-colour", initial_value: "blue" });
  return { apiKey, organisation, project, staging, production, feature };
}

describe("multivariate options API", () => {
  it("creates typed options, lists, updates and deletes them, keeping default weights ≤ 100", async () => {
    const { apiKey, project, feature } = await setUp();
    const params = { projectId: project.id, featureId: feature.id };
    const path = `/api/v1/projects/${project.id}/features/${feature.id}/mv-options/`;
    const create = (body: unknown) => call(optionsRoute.POST, "POST", path, { apiKey, params, body });

    const red = expectStatus(
      await create({ type: "unicode", string_value: "red", default_percentage_allocation: 30 }),
      201,
    );
    expect(red).toEqual({
      id: expect.any(Number),
      feature: feature.id,
      type: "unicode",
      string_value: "red",
      integer_value: null,
      boolean_value: null,
      default_percentage_allocation: 30,
      created_at: expect.any(String),
    });
    const seven = expectStatus(
      await create({ type: "int", integer_value: 7, default_percentage_allocation: 50 }),
      201,
    );
    expect(seven).toMatchObject({ type: "int", integer_value: 7, string_value: null });

    const tooMuch = await create({ type: "bool", boolean_value: true, default_percentage_allocation: 21 });
    expectError(tooMuch, 422, "unprocessable_entity");
    expect(tooMuch.body.error.details).toEqual([
      { field: "body.default_percentage_allocation", issue: expect.stringMatching(/101/) },
    ]);
    const missingValue = await create({ type: "int", string_value: "x" });
    expectError(missingValue, 422);
    expect(missingValue.body.error.details).toEqual([
      { field: "body.integer_value", issue: expect.any(String) },
    ]);
    expectError(await create({ type: "float", string_value: "x" }), 422);

    const listed = expectStatus(await call(optionsRoute.GET, "GET", path, { apiKey, params }), 200);
    expect(listed.results.map((option: { id: number }) => option.id)).toEqual([red.id, seven.id]);

    const optionParams = { ...params, optionId: red.id };
    const updated = expectStatus(
      await call(optionRoute.PATCH, "PATCH", `${path}${red.id}/`, {
        apiKey,
        params: optionParams,
        body: { string_value: "crimson", default_percentage_allocation: 40 },
      }),
      200,
    );
    expect(updated).toMatchObject({ string_value: "crimson", default_percentage_allocation: 40 });
    expectError(
      await call(optionRoute.PATCH, "PATCH", `${path}${red.id}/`, {
        apiKey,
        params: optionParams,
        body: { default_percentage_allocation: 60 },
      }),
      422,
    );
    expect(
      (
        await call(optionRoute.DELETE, "DELETE", `${path}${seven.id}/`, {
          apiKey,
          params: { ...params, optionId: seven.id },
        })
      ).status,
    ).toBe(204);

    const audit = await prisma.auditLog.findMany({
      where: { featureId: feature.id, entityType: "multivariate_option" },
      orderBy: { id: "asc" },
    });
    expect(audit.map((row) => row.summary)).toEqual([
      'Added variant "red" to button-colour',
      "Added variant 7 to button-colour",
      'Changed variant "red" of button-colour',
      "Removed variant 7 from button-colour",
    ]);
  });

  it("sets per-environment weights on a feature state (defaults elsewhere), refusing totals over 100", async () => {
    const { apiKey, project, staging, production, feature } = await setUp();
    const path = `/api/v1/projects/${project.id}/features/${feature.id}/mv-options/`;
    const params = { projectId: project.id, featureId: feature.id };
    const red = expectStatus(
      await call(optionsRoute.POST, "POST", path, {
        apiKey,
        params,
        body: { string_value: "red", default_percentage_allocation: 20 },
      }),
      201,
    );
    const green = expectStatus(
      await call(optionsRoute.POST, "POST", path, {
        apiKey,
        params,
        body: { string_value: "green", default_percentage_allocation: 20 },
      }),
      201,
    );
    const stagingState = await prisma.featureState.findFirstOrThrow({
      where: { featureId: feature.id, environmentId: staging.id },
    });
    const productionState = await prisma.featureState.findFirstOrThrow({
      where: { featureId: feature.id, environmentId: production.id },
    });
    const patch = (body: unknown) =>
      call(
        stateRoute.PATCH,
        "PATCH",
        `/api/v1/environments/${staging.api_key}/featurestates/${stagingState.id}/`,
        {
          apiKey,
          params: { envApiKey: staging.api_key, stateId: stagingState.id },
          body,
        },
      );

    const patched = expectStatus(
      await patch({
        multivariate_feature_state_values: [
          { multivariate_feature_option: red.id, percentage_allocation: 70 },
        ],
      }),
      200,
    );
    expect(patched.multivariate_feature_state_values).toEqual([
      { id: expect.any(Number), multivariate_feature_option: red.id, percentage_allocation: 70 },
      { id: null, multivariate_feature_option: green.id, percentage_allocation: 20 },
    ]);
    const production200 = expectStatus(
      await call(
        stateRoute.GET,
        "GET",
        `/api/v1/environments/${production.api_key}/featurestates/${productionState.id}/`,
        {
          apiKey,
          params: { envApiKey: production.api_key, stateId: productionState.id },
        },
      ),
      200,
    );
    expect(
      production200.multivariate_feature_state_values.map(
        (value: { percentage_allocation: number }) => value.percentage_allocation,
      ),
    ).toEqual([20, 20]);

    // The list replaces the state's own weights; options left out take their default: 81 + 20 > 100.
    const over = await patch({
      multivariate_feature_state_values: [{ multivariate_feature_option: red.id, percentage_allocation: 81 }],
    });
    expectError(over, 422, "unprocessable_entity");
    expect(over.body.error.details).toEqual([
      { field: "body.multivariate_feature_state_values", issue: expect.stringMatching(/101/) },
    ]);
    const overInBody = await patch({
      multivariate_feature_state_values: [
        { multivariate_feature_option: red.id, percentage_allocation: 60 },
        { multivariate_feature_option: green.id, percentage_allocation: 41 },
      ],
    });
    expectError(overInBody, 422);
    expect(overInBody.body.error.details[0].field).toBe("body.multivariate_feature_state_values");
    const outOfRange = await patch({
      multivariate_feature_state_values: [
        { multivariate_feature_option: red.id, percentage_allocation: 101 },
      ],
    });
    expect(outOfRange.body.error.details[0].field).toBe(
      "body.multivariate_feature_state_values.0.percentage_allocation",
    );
    const foreign = await patch({
      multivariate_feature_state_values: [
        { multivariate_feature_option: 2_000_000_000, percentage_allocation: 1 },
      ],
    });
    expectError(foreign, 422);
    expect(foreign.body.error.details[0].field).toBe(
      "body.multivariate_feature_state_values.0.multivariate_feature_option",
    );

    const audit = await prisma.auditLog.findMany({
      where: { featureId: feature.id, entityType: "feature_state" },
    });
    expect(audit.map((row) => row.summary)).toEqual(["Changed variant weights of button-colour in Staging"]);
  });

  it("gives segment overrides weights of their own, audited, with the same limits", async () => {
    const { apiKey, project, production, feature } = await setUp();
    const params = { projectId: project.id, featureId: feature.id };
    const red = expectStatus(
      await call(optionsRoute.POST, "POST", "/", {
        apiKey,
        params,
        body: { string_value: "red", default_percentage_allocation: 10 },
      }),
      201,
    );
    const segment = await prisma.segment.create({ data: { projectId: project.id, name: "beta" } });
    const path = `/api/v1/projects/${project.id}/features/${feature.id}/segment-overrides/`;
    const created = expectStatus(
      await call(segmentOverridesRoute.POST, "POST", path, {
        apiKey,
        params,
        body: {
          environment: production.id,
          segment: segment.id,
          enabled: true,
          multivariate_feature_state_values: [
            { multivariate_feature_option: red.id, percentage_allocation: 100 },
          ],
        },
      }),
      201,
    );
    expect(created.multivariate_feature_state_values).toEqual([
      { id: expect.any(Number), multivariate_feature_option: red.id, percentage_allocation: 100 },
    ]);
    const overrideParams = { ...params, overrideId: created.id };
    const over = await call(segmentOverrideRoute.PATCH, "PATCH", `${path}${created.id}/`, {
      apiKey,
      params: overrideParams,
      body: {
        multivariate_feature_state_values: [
          { multivariate_feature_option: red.id, percentage_allocation: 100.5 },
        ],
      },
    });
    expectError(over, 422);
    expect(over.body.error.details[0].field).toMatch(/^body\.multivariate_feature_state_values/);
    const cleared = expectStatus(
      await call(segmentOverrideRoute.PATCH, "PATCH", `${path}${created.id}/`, {
        apiKey,
        params: overrideParams,
        body: { multivariate_feature_state_values: [] },
      }),
      200,
    );
    expect(cleared.multivariate_feature_state_values).toEqual([]);
    const audit = await prisma.auditLog.findMany({
      where: { featureId: feature.id, entityType: "segment_override" },
      orderBy: { id: "asc" },
    });
    expect(audit.at(-1)!.changes).toMatchObject({
      multivariate_feature_state_values: {
        from: [{ multivariate_feature_option: red.id, percentage_allocation: 100 }],
        to: [],
      },
    });
  });

  it("refuses option and weight writes from viewers", async () => {
    const { organisation, project, staging, feature } = await setUp();
    const viewer = await seedProjectMember(organisation.id, project.id, "VIEWER");
    const headers = await sessionHeaders(viewer.id);
    const params = { projectId: project.id, featureId: feature.id };
    const path = `/api/v1/projects/${project.id}/features/${feature.id}/mv-options/`;
    expect((await call(optionsRoute.GET, "GET", path, { headers, params })).status).toBe(200);
    expectError(
      await call(optionsRoute.POST, "POST", path, { headers, params, body: { string_value: "x" } }),
      403,
      "forbidden",
    );
    const state = await prisma.featureState.findFirstOrThrow({
      where: { featureId: feature.id, environmentId: staging.id },
    });
    expectError(
      await call(
        stateRoute.PATCH,
        "PATCH",
        `/api/v1/environments/${staging.api_key}/featurestates/${state.id}/`,
        {
          headers,
          params: { envApiKey: staging.api_key, stateId: state.id },
          body: { multivariate_feature_state_values: [] },
        },
      ),
      403,
      "forbidden",
    );
  });
});

describe("server-side environment keys API", () => {
  it("shows the key once, stores only its hash, lists without it and revokes", async () => {
    const { apiKey, project, staging, production } = await setUp();
    const envApiKey = staging.api_key;
    const path = `/api/v1/environments/${envApiKey}/api-keys/`;
    const created = expectStatus(
      await call(serverKeysRoute.POST, "POST", path, {
        apiKey,
        params: { envApiKey },
        body: { name: "backend" },
      }),
      201,
    );
    expect(created).toMatchObject({
      id: expect.any(Number),
      name: "backend",
      active: true,
      key: expect.stringMatching(/^ser\.[A-Za-z0-9_-]{40,}$/),
    });

    const row = await prisma.serverKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.keyHash).toBe(hashApiKey(created.key));
    expect(JSON.stringify(row)).not.toContain(created.key.slice(4));
    expect(created.key.startsWith(row.prefix)).toBe(true);

    const listed = expectStatus(
      await call(serverKeysRoute.GET, "GET", path, { apiKey, params: { envApiKey } }),
      200,
    );
    expect(listed.results).toHaveLength(1);
    expect(listed.results[0]).toMatchObject({
      id: created.id,
      name: "backend",
      active: true,
      last_used_at: null,
    });
    expect(JSON.stringify(listed)).not.toContain(created.key);
    // Keys belong to their environment.
    const other = expectStatus(
      await call(serverKeysRoute.GET, "GET", "/", { apiKey, params: { envApiKey: production.api_key } }),
      200,
    );
    expect(other.results).toEqual([]);

    expect((await findActiveServerKey(created.key))?.environmentId).toBe(staging.id);
    expect(await findActiveServerKey("ser.not-a-key")).toBeNull();
    expectError(
      await call(serverKeyRoute.DELETE, "DELETE", `${path}${created.id}/`, {
        apiKey,
        params: { envApiKey: production.api_key, keyId: created.id },
      }),
      404,
    );
    expect(
      (
        await call(serverKeyRoute.DELETE, "DELETE", `${path}${created.id}/`, {
          apiKey,
          params: { envApiKey, keyId: created.id },
        })
      ).status,
    ).toBe(204);
    expect(await findActiveServerKey(created.key)).toBeNull();
    const afterRevoke = expectStatus(
      await call(serverKeysRoute.GET, "GET", path, { apiKey, params: { envApiKey } }),
      200,
    );
    expect(afterRevoke.results[0]).toMatchObject({ active: false, revoked_at: expect.any(String) });

    const audit = await prisma.auditLog.findMany({
      where: { projectId: project.id, entityType: "server_key" },
      orderBy: { id: "asc" },
    });
    expect(audit.map((entry) => entry.summary)).toEqual([
      "Created server-side key backend for Staging",
      "Revoked server-side key backend of Staging",
    ]);
    expect(JSON.stringify(audit.map((entry) => [entry.summary, entry.changes]))).not.toContain(created.key);
  });

  it("is for project admins only", async () => {
    const { organisation, project, staging } = await setUp();
    const editor = await seedProjectMember(organisation.id, project.id, "EDITOR");
    const headers = await sessionHeaders(editor.id);
    const params = { envApiKey: staging.api_key };
    expectError(
      await call(serverKeysRoute.POST, "POST", "/", { headers, params, body: { name: "x" } }),
      403,
      "forbidden",
    );
    expectError(await call(serverKeysRoute.GET, "GET", "/", { headers, params }), 403, "forbidden");
  });
});
