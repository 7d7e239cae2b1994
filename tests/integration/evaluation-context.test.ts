import { describe, expect, it } from "vitest";
import * as evaluatedRoute from "@/app/api/v1/environments/[envApiKey]/identities/[identityId]/evaluated-flags/route";
import * as identityOverridesRoute from "@/app/api/v1/environments/[envApiKey]/identities/[identityId]/featurestates/route";
import * as traitsRoute from "@/app/api/v1/environments/[envApiKey]/identities/[identityId]/traits/route";
import * as identitiesRoute from "@/app/api/v1/environments/[envApiKey]/identities/route";
import * as stateRoute from "@/app/api/v1/environments/[envApiKey]/featurestates/[stateId]/route";
import * as optionsRoute from "@/app/api/v1/projects/[projectId]/features/[featureId]/mv-options/route";
import * as overridesRoute from "@/app/api/v1/projects/[projectId]/features/[featureId]/segment-overrides/route";
import * as segmentsRoute from "@/app/api/v1/projects/[projectId]/segments/route";
import { prisma } from "@/lib/db/client";
import { evaluateContext } from "@/lib/engine";
import {
  assembleEvaluationContext,
  buildEvaluationContext,
  loadEnvironmentData,
  loadIdentityData,
} from "@/lib/flags/evaluation-context";
import { call, expectError, seedOrganisation } from "@/tests/support/api";
import {
  countDatabaseOperations,
  createFeature,
  createProjectWithEnvironments,
  expectStatus,
  type TestEnvironment,
} from "@/tests/support/flags";

const proRules = [
  {
    type: "ALL",
    rules: [{ type: "ANY", rules: [], conditions: [{ property: "plan", operator: "EQUAL", value: "pro" }] }],
    conditions: [],
  },
];

async function setUp() {
  const { apiKey } = await seedOrganisation();
  const { project, environments } = await createProjectWithEnvironments(apiKey, ["Staging", "Production"]);
  const [staging, production] = environments as [TestEnvironment, TestEnvironment];
  const projectId = project.id;
  const checkout = await createFeature(apiKey, projectId, { name: "checkout", initial_value: "v1" });
  const banner = await createFeature(apiKey, projectId, {
    name: "banner",
    default_enabled: true,
    initial_value: "hello",
  });
  const segment = expectStatus(
    await call(segmentsRoute.POST, "POST", "/", {
      apiKey,
      params: { projectId },
      body: { name: "pro-users", rules: proRules },
    }),
    201,
  );
  // The segment override: pro users get checkout v2, enabled.
  expectStatus(
    await call(overridesRoute.POST, "POST", "/", {
      apiKey,
      params: { projectId, featureId: checkout.id },
      body: { environment: production.id, segment: segment.id, enabled: true, feature_state_value: "v2" },
    }),
    201,
  );
  const envApiKey = production.api_key;
  const identity = async (identifier: string, traits: Record<string, unknown>) => {
    const created = expectStatus(
      await call(identitiesRoute.POST, "POST", "/", { apiKey, params: { envApiKey }, body: { identifier } }),
      201,
    );
    for (const [trait_key, trait_value] of Object.entries(traits)) {
      expectStatus(
        await call(traitsRoute.POST, "POST", "/", {
          apiKey,
          params: { envApiKey, identityId: created.id },
          body: { trait_key, trait_value },
        }),
        201,
      );
    }
    return created as { id: number; identifier: string };
  };
  const evaluated = async (identityId: number) =>
    expectStatus(
      await call(evaluatedRoute.GET, "GET", "/", { apiKey, params: { envApiKey, identityId } }),
      200,
    );
  return { apiKey, projectId, staging, production, checkout, banner, segment, identity, evaluated };
}

function flagOf(result: { flags: Array<{ feature: { name: string } }> }, name: string) {
  return result.flags.find((flag) => flag.feature.name === name);
}

describe("evaluation context and evaluated flags", () => {
  it("gives each flag with its reason: default, segment override, and identity override beating the segment", async () => {
    const { apiKey, production, checkout, banner, segment, identity, evaluated } = await setUp();
    const free = await identity("free-user", { plan: "free" });
    const pro = await identity("pro-user", { plan: "pro" });

    const freeFlags = await evaluated(free.id);
    expect(freeFlags.identity).toMatchObject({ id: free.id, identifier: "free-user" });
    expect(flagOf(freeFlags, "checkout")).toEqual({
      feature: { id: checkout.id, name: "checkout" },
      enabled: false,
      feature_state_value: "v1",
      reason: "DEFAULT",
      variant: null,
    });
    expect(flagOf(freeFlags, "banner")).toMatchObject({
      enabled: true,
      feature_state_value: "hello",
      reason: "DEFAULT",
    });
    expect(freeFlags.segments).toEqual([]);

    const proFlags = await evaluated(pro.id);
    expect(flagOf(proFlags, "checkout")).toMatchObject({
      enabled: true,
      feature_state_value: "v2",
      reason: "TARGETING_MATCH; segment=pro-users",
    });
    expect(proFlags.segments).toEqual([{ id: segment.id, name: "pro-users" }]);

    // The identity's own override beats the segment's.
    expectStatus(
      await call(identityOverridesRoute.POST, "POST", "/", {
        apiKey,
        params: { envApiKey: production.api_key, identityId: pro.id },
        body: { feature: checkout.id, enabled: false, feature_state_value: "mine" },
      }),
      201,
    );
    const overridden = await evaluated(pro.id);
    expect(flagOf(overridden, "checkout")).toMatchObject({
      enabled: false,
      feature_state_value: "mine",
      reason: "TARGETING_MATCH; segment=identity_overrides",
    });
    expect(flagOf(overridden, "banner")).toMatchObject({ feature: { id: banner.id }, reason: "DEFAULT" });

    // Another environment's key does not reach this identity.
    expectError(
      await call(evaluatedRoute.GET, "GET", "/", {
        apiKey,
        params: { envApiKey: "nope", identityId: pro.id },
      }),
      404,
    );
  });

  it("splits variants by identity with the environment's weights", async () => {
    const { apiKey, projectId, production, checkout, identity, evaluated } = await setUp();
    const option = expectStatus(
      await call(optionsRoute.POST, "POST", "/", {
        apiKey,
        params: { projectId, featureId: checkout.id },
        body: { type: "unicode", string_value: "variant-b", default_percentage_allocation: 0 },
      }),
      201,
    );
    const state = await prisma.featureState.findFirstOrThrow({
      where: { featureId: checkout.id, environmentId: production.id },
    });
    expectStatus(
      await call(stateRoute.PATCH, "PATCH", "/", {
        apiKey,
        params: { envApiKey: production.api_key, stateId: state.id },
        body: {
          multivariate_feature_state_values: [
            { multivariate_feature_option: option.id, percentage_allocation: 100 },
          ],
        },
      }),
      200,
    );
    const someone = await identity("someone", {});
    expect(flagOf(await evaluated(someone.id), "checkout")).toMatchObject({
      feature_state_value: "variant-b",
      reason: "SPLIT; weight=100",
      variant: String(option.id),
    });
  });

  it("loads in a fixed number of queries and assembles purely", async () => {
    const { apiKey, projectId, production, identity } = await setUp();
    const pro = await identity("counted", { plan: "pro", age: 30 });
    const measure = async () =>
      (await countDatabaseOperations(() => buildEvaluationContext(production.id, pro.id))).operations;
    const before = await measure();
    for (let i = 0; i < 8; i += 1) await createFeature(apiKey, projectId, { name: `extra-${i}` });
    await prisma.segment.createMany({
      data: Array.from({ length: 5 }, (_, i) => ({ projectId, name: `s${i}` })),
    });
    expect(await measure()).toBe(before);
    expect(before).toBeLessThanOrEqual(4);

    const data = await loadEnvironmentData(prisma, production.id);
    const identityData = await loadIdentityData(prisma, production.id, pro.id);
    const context = assembleEvaluationContext(data, identityData);
    expect(context.environment).toEqual({ key: production.api_key, name: "Production" });
    expect(context.identity).toEqual({ identifier: "counted", traits: { age: 30, plan: "pro" } });
    expect(Object.keys(context.features ?? {})).toHaveLength(10);
    expect(context.features!.checkout).toMatchObject({ name: "checkout", enabled: false, value: "v1" });
    // Pure: the same data gives the same context, and evaluating it needs no database.
    expect(assembleEvaluationContext(data, identityData)).toEqual(context);
    expect(evaluateContext(context).flags.checkout).toMatchObject({
      value: "v2",
      reason: "TARGETING_MATCH; segment=pro-users",
    });
    // Without an identity: the environment's defaults.
    expect(evaluateContext(assembleEvaluationContext(data)).flags.checkout).toMatchObject({
      value: "v1",
      reason: "DEFAULT",
    });
  });
});
