import { describe, expect, it } from "vitest";
import * as overrideRoute from "@/app/api/v1/environments/[envApiKey]/identities/[identityId]/featurestates/[overrideId]/route";
import * as overridesRoute from "@/app/api/v1/environments/[envApiKey]/identities/[identityId]/featurestates/route";
import * as identityRoute from "@/app/api/v1/environments/[envApiKey]/identities/[identityId]/route";
import * as traitRoute from "@/app/api/v1/environments/[envApiKey]/identities/[identityId]/traits/[traitId]/route";
import * as traitsRoute from "@/app/api/v1/environments/[envApiKey]/identities/[identityId]/traits/route";
import * as identitiesRoute from "@/app/api/v1/environments/[envApiKey]/identities/route";
import { prisma } from "@/lib/db/client";
import { STATUS_NOTE_JOB } from "@/lib/gitlab/notes/status-note-outbox";
import { integrationJobGroup } from "@/lib/gitlab/integration/job-group";
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
  return { apiKey, organisation, project, staging, production };
}

async function createIdentity(apiKey: string, envApiKey: string, identifier: string) {
  return expectStatus(
    await call(identitiesRoute.POST, "POST", `/api/v1/environments/${envApiKey}/identities/`, {
      apiKey,
      params: { envApiKey },
      body: { identifier },
    }),
    201,
  );
}

describe("identities API", () => {
  it("creates identities per environment, pages and searches them on the server, and audits", async () => {
    const { apiKey, project, staging, production } = await setUp();
    const created = await createIdentity(apiKey, staging.api_key, "user-001");
    expect(created).toEqual({
      id: expect.any(Number),
      identifier: "user-001",
      environment: staging.id,
      created_at: expect.any(String),
      last_seen_at: null,
    });
    for (let i = 2; i <= 25; i += 1)
      await createIdentity(apiKey, staging.api_key, `user-${String(i).padStart(3, "0")}`);
    await createIdentity(apiKey, staging.api_key, "admin@example.com");
    // The same identifier is a different identity in another environment; twice in one is a conflict.
    await createIdentity(apiKey, production.api_key, "user-001");
    const duplicate = await call(
      identitiesRoute.POST,
      "POST",
      `/api/v1/environments/${staging.api_key}/identities/`,
      {
        apiKey,
        params: { envApiKey: staging.api_key },
        body: { identifier: "user-001" },
      },
    );
    expectError(duplicate, 409, "conflict");

    const list = async (query: string) =>
      expectStatus(
        await call(
          identitiesRoute.GET,
          "GET",
          `/api/v1/environments/${staging.api_key}/identities/${query}`,
          {
            apiKey,
            params: { envApiKey: staging.api_key },
          },
        ),
        200,
      );
    const page2 = await list("?page=2&page_size=10");
    expect(page2.count).toBe(26);
    expect(page2.results.map((identity: { identifier: string }) => identity.identifier)).toEqual(
      Array.from({ length: 10 }, (_, i) => `user-${String(i + 10).padStart(3, "0")}`),
    );
    expect(page2.next).toContain("page=3");
    const search = await list("?q=USER-02");
    expect(search.results.map((identity: { identifier: string }) => identity.identifier)).toEqual([
      "user-020",
      "user-021",
      "user-022",
      "user-023",
      "user-024",
      "user-025",
    ]);

    const audit = await prisma.auditLog.findMany({
      where: { projectId: project.id, entityType: "identity", entityId: String(created.id) },
    });
    expect(audit.map((row) => row.summary)).toEqual(["Created identity user-001 in Staging"]);

    const path = `/api/v1/environments/${staging.api_key}/identities/${created.id}/`;
    const params = { envApiKey: staging.api_key, identityId: created.id };
    expect(expectStatus(await call(identityRoute.GET, "GET", path, { apiKey, params }), 200)).toEqual(
      created,
    );
    // Addressed through another environment's key, the identity does not exist.
    expectError(
      await call(identityRoute.GET, "GET", path, {
        apiKey,
        params: { ...params, envApiKey: production.api_key },
      }),
      404,
      "not_found",
    );
    expect((await call(identityRoute.DELETE, "DELETE", path, { apiKey, params })).status).toBe(204);
    expect((await list("")).count).toBe(25);
  });

  it("keeps typed traits, replaces them on POST, updates and deletes them, within the limits", async () => {
    const { apiKey, staging } = await setUp();
    const envApiKey = staging.api_key;
    const identity = await createIdentity(apiKey, envApiKey, "ada");
    const params = { envApiKey, identityId: identity.id };
    const path = `/api/v1/environments/${envApiKey}/identities/${identity.id}/traits/`;
    const setTrait = (body: unknown) => call(traitsRoute.POST, "POST", path, { apiKey, params, body });

    const plan = expectStatus(await setTrait({ trait_key: "plan", trait_value: "pro" }), 201);
    expect(plan).toMatchObject({ trait_key: "plan", trait_value: "pro", value_type: "unicode" });
    expect(expectStatus(await setTrait({ trait_key: "age", trait_value: 42 }), 201)).toMatchObject({
      trait_value: 42,
      value_type: "int",
    });
    expect(expectStatus(await setTrait({ trait_key: "score", trait_value: 0.5 }), 201)).toMatchObject({
      trait_value: 0.5,
      value_type: "float",
    });
    expect(expectStatus(await setTrait({ trait_key: "beta", trait_value: false }), 201)).toMatchObject({
      trait_value: false,
      value_type: "bool",
    });
    const replaced = expectStatus(await setTrait({ trait_key: "plan", trait_value: "free" }), 201);
    expect(replaced).toMatchObject({ id: plan.id, trait_value: "free" });

    const updated = expectStatus(
      await call(traitRoute.PATCH, "PATCH", `${path}${plan.id}/`, {
        apiKey,
        params: { ...params, traitId: plan.id },
        body: { trait_value: 7 },
      }),
      200,
    );
    expect(updated).toMatchObject({ trait_key: "plan", trait_value: 7, value_type: "int" });
    const listed = expectStatus(await call(traitsRoute.GET, "GET", path, { apiKey, params }), 200);
    expect(
      Object.fromEntries(
        listed.results.map((trait: { trait_key: string; trait_value: unknown }) => [
          trait.trait_key,
          trait.trait_value,
        ]),
      ),
    ).toEqual({
      age: 42,
      beta: false,
      plan: 7,
      score: 0.5,
    });
    expect(
      (
        await call(traitRoute.DELETE, "DELETE", `${path}${plan.id}/`, {
          apiKey,
          params: { ...params, traitId: plan.id },
        })
      ).status,
    ).toBe(204);

    const audit = await prisma.auditLog.findMany({
      where: { environmentId: staging.id, entityType: "trait" },
      orderBy: { id: "asc" },
    });
    expect(audit.map((row) => row.summary)).toContain('Set trait plan of identity ada in Staging to "free"');
    expect(audit.at(-1)!.summary).toBe("Removed trait plan from identity ada in Staging");

    // A value over 2 KB (counted in UTF-8 bytes) is refused with its field.
    const tooLong = await setTrait({ trait_key: "bio", trait_value: "é".repeat(1025) });
    expectError(tooLong, 422, "unprocessable_entity");
    expect(tooLong.body.error.details).toEqual([
      { field: "body.trait_value", issue: expect.stringMatching(/2048 bytes/) },
    ]);
    expect(
      expectStatus(await setTrait({ trait_key: "bio", trait_value: "x".repeat(2048) }), 201).trait_key,
    ).toBe("bio");

    // 200 traits per identity at most (4 exist now: age, score, beta, bio).
    await prisma.trait.createMany({
      data: Array.from({ length: 196 }, (_, i) => ({
        identityId: identity.id,
        key: `t${i}`,
        valueType: "STRING" as const,
        value: "v",
      })),
    });
    const overLimit = await setTrait({ trait_key: "one-more", trait_value: "x" });
    expectError(overLimit, 422, "unprocessable_entity");
    expect(overLimit.body.error.details).toEqual([
      { field: "body.trait_key", issue: expect.stringMatching(/at most 200 traits/) },
    ]);
    // Replacing an existing trait is still allowed at the limit.
    expect(expectStatus(await setTrait({ trait_key: "t0", trait_value: "w" }), 201).trait_value).toBe("w");
    expect(await prisma.trait.count({ where: { identityId: identity.id } })).toBe(200);
  });

  it("lets viewers read but not write identities, traits and overrides", async () => {
    const { apiKey, organisation, project, staging } = await setUp();
    const envApiKey = staging.api_key;
    const identity = await createIdentity(apiKey, envApiKey, "grace");
    const feature = await createFeature(apiKey, project.id, { name: "checkout" });
    const viewer = await seedProjectMember(organisation.id, project.id, "VIEWER");
    const headers = await sessionHeaders(viewer.id);
    const params = { envApiKey, identityId: identity.id };
    const base = `/api/v1/environments/${envApiKey}/identities/`;

    expect((await call(identitiesRoute.GET, "GET", base, { headers, params })).status).toBe(200);
    expect(
      (await call(traitsRoute.GET, "GET", `${base}${identity.id}/traits/`, { headers, params })).status,
    ).toBe(200);
    expect(
      (await call(overridesRoute.GET, "GET", `${base}${identity.id}/featurestates/`, { headers, params }))
        .status,
    ).toBe(200);
    expectError(
      await call(identitiesRoute.POST, "POST", base, { headers, params, body: { identifier: "x" } }),
      403,
      "forbidden",
    );
    expectError(
      await call(traitsRoute.POST, "POST", `${base}${identity.id}/traits/`, {
        headers,
        params,
        body: { trait_key: "a", trait_value: 1 },
      }),
      403,
      "forbidden",
    );
    expectError(
      await call(overridesRoute.POST, "POST", `${base}${identity.id}/featurestates/`, {
        headers,
        params,
        body: { feature: feature.id, enabled: true },
      }),
      403,
      "forbidden",
    );
    expectError(
      await call(identityRoute.DELETE, "DELETE", `${base}${identity.id}/`, { headers, params }),
      403,
      "forbidden",
    );
    // No credentials at all.
    expectError(await call(identitiesRoute.GET, "GET", base, { params }), 401, "unauthorized");
  });

  it("creates, updates and deletes identity overrides, audited, queueing status notes like segment overrides", async () => {
    const { apiKey, project, staging, production } = await setUp();
    const envApiKey = staging.api_key;
    const feature = await createFeature(apiKey, project.id, {
      name: "new-checkout",
      initial_value: "control",
    });
    const identity = await createIdentity(apiKey, envApiKey, "linus");
    const params = { envApiKey, identityId: identity.id };
    const path = `/api/v1/environments/${envApiKey}/identities/${identity.id}/featurestates/`;

    const created = expectStatus(
      await call(overridesRoute.POST, "POST", path, {
        apiKey,
        params,
        body: { feature: feature.id, enabled: true, feature_state_value: "treatment" },
      }),
      201,
    );
    expect(created).toEqual({
      id: expect.any(Number),
      feature: { id: feature.id, name: "new-checkout" },
      identity: identity.id,
      environment: staging.id,
      enabled: true,
      feature_state_value: "treatment",
      multivariate_feature_state_values: [],
      updated_at: expect.any(String),
    });
    expectError(
      await call(overridesRoute.POST, "POST", path, { apiKey, params, body: { feature: feature.id } }),
      409,
      "conflict",
    );
    const foreign = await call(overridesRoute.POST, "POST", path, {
      apiKey,
      params,
      body: { feature: 2_000_000_000 },
    });
    expectError(foreign, 422, "unprocessable_entity");
    expect(foreign.body.error.details).toEqual([{ field: "body.feature", issue: expect.any(String) }]);

    const overrideParams = { ...params, overrideId: created.id };
    const updated = expectStatus(
      await call(overrideRoute.PATCH, "PATCH", `${path}${created.id}/`, {
        apiKey,
        params: overrideParams,
        body: { enabled: false },
      }),
      200,
    );
    expect(updated).toMatchObject({ enabled: false, feature_state_value: "treatment" });
    // Through another environment's key the override is not found.
    expectError(
      await call(overrideRoute.PATCH, "PATCH", `${path}${created.id}/`, {
        apiKey,
        params: { ...overrideParams, envApiKey: production.api_key },
        body: { enabled: true },
      }),
      404,
      "not_found",
    );
    const listed = expectStatus(await call(overridesRoute.GET, "GET", path, { apiKey, params }), 200);
    expect(listed.results).toEqual([updated]);
    expect(
      (
        await call(overrideRoute.DELETE, "DELETE", `${path}${created.id}/`, {
          apiKey,
          params: overrideParams,
        })
      ).status,
    ).toBe(204);

    const audit = await prisma.auditLog.findMany({
      where: { featureId: feature.id, entityType: "identity_override" },
      orderBy: { id: "asc" },
    });
    expect(audit.map((row) => [row.action, row.summary])).toEqual([
      ["CREATE", "Added identity override linus to new-checkout in Staging"],
      ["UPDATE", "Disabled identity override linus of new-checkout in Staging"],
      ["DELETE", "Removed identity override linus from new-checkout in Staging"],
    ]);
    expect(audit[1]!.changes).toEqual({ identity: "linus", enabled: { from: true, to: false } });
  });

  it("queues a status-note job for a linked feature when its identity override changes", async () => {
    const { apiKey, project, staging } = await setUp();
    const feature = await createFeature(apiKey, project.id, { name: "linked-flag" });
    // A live integration and a linked issue, written directly: this test is about the outbox, not GitLab.
    const integration = await prisma.gitLabIntegration.create({
      data: {
        projectId: project.id,
        liveProjectId: project.id,
        instanceUrl: "http://127.0.0.1:1",
        encryptedToken: "x",
        encryptedWebhookSecret: "x",
      },
    });
    await prisma.externalResource.create({
      data: {
        featureId: feature.id,
        type: "GITLAB_ISSUE",
        url: "http://127.0.0.1:1/g/p/-/issues/1",
        gitlabProjectId: 7,
        gitlabProjectPath: "g/p",
        iid: 1,
      },
    });
    const identity = await createIdentity(apiKey, staging.api_key, "margaret");
    const params = { envApiKey: staging.api_key, identityId: identity.id };
    expectStatus(
      await call(
        overridesRoute.POST,
        "POST",
        `/api/v1/environments/${staging.api_key}/identities/${identity.id}/featurestates/`,
        {
          apiKey,
          params,
          body: { feature: feature.id, enabled: true },
        },
      ),
      201,
    );
    const jobs = await prisma.job.findMany({
      where: { kind: STATUS_NOTE_JOB, groupKey: integrationJobGroup(integration.id) },
    });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.payload).toMatchObject({ featureId: feature.id });
  });
});
