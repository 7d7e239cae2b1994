import { describe, expect, it } from "vitest";
import * as featuresRoute from "@/app/api/v1/projects/[projectId]/features/route";
import * as overrideRoute from "@/app/api/v1/projects/[projectId]/features/[featureId]/segment-overrides/[overrideId]/route";
import * as overridesRoute from "@/app/api/v1/projects/[projectId]/features/[featureId]/segment-overrides/route";
import * as segmentRoute from "@/app/api/v1/projects/[projectId]/segments/[segmentId]/route";
import * as segmentsRoute from "@/app/api/v1/projects/[projectId]/segments/route";
import { prisma } from "@/lib/db/client";
import { call, expectError, seedOrganisation, seedProjectMember, sessionHeaders } from "@/tests/support/api";
import {
  createFeature,
  createProjectWithEnvironments,
  expectStatus,
  type TestEnvironment,
} from "@/tests/support/flags";

async function createSegment(apiKey: string, projectId: number, body: Record<string, unknown>) {
  return expectStatus(
    await call(segmentsRoute.POST, "POST", `/api/v1/projects/${projectId}/segments/`, {
      apiKey,
      params: { projectId },
      body,
    }),
    201,
  );
}

describe("segments API", () => {
  it("creates, searches, reads, updates and deletes segments, auditing each change", async () => {
    const { apiKey } = await seedOrganisation();
    const { project } = await createProjectWithEnvironments(apiKey, []);
    const projectId = project.id;
    const rules = [{ type: "ALL", conditions: [{ property: "plan", operator: "EQUAL", value: "pro" }] }];
    const beta = await createSegment(apiKey, projectId, { name: "beta", description: "Beta testers", rules });
    expect(beta).toMatchObject({ name: "beta", description: "Beta testers", rules, project: projectId });
    await createSegment(apiKey, projectId, { name: "staff" });

    const search = expectStatus(
      await call(segmentsRoute.GET, "GET", `/api/v1/projects/${projectId}/segments?search=BET`, {
        apiKey,
        params: { projectId },
      }),
      200,
    );
    expect(search).toMatchObject({ count: 1, results: [{ id: beta.id, rules }] });

    const params = { projectId, segmentId: beta.id };
    const path = `/api/v1/projects/${projectId}/segments/${beta.id}/`;
    expect(expectStatus(await call(segmentRoute.GET, "GET", path, { apiKey, params }), 200)).toEqual(beta);
    const updated = expectStatus(
      await call(segmentRoute.PATCH, "PATCH", path, {
        apiKey,
        params,
        body: { name: "early-access", rules: [] },
      }),
      200,
    );
    expect(updated).toMatchObject({ name: "early-access", description: "Beta testers", rules: [] });

    const duplicate = await call(segmentRoute.PATCH, "PATCH", path, {
      apiKey,
      params,
      body: { name: "staff" },
    });
    expectError(duplicate, 409, "conflict");
    expect(duplicate.body.error.message).toMatch(/\bname\b.*“staff”/i);

    expect((await call(segmentRoute.DELETE, "DELETE", path, { apiKey, params })).status).toBe(204);
    expectError(await call(segmentRoute.GET, "GET", path, { apiKey, params }), 404, "not_found");

    const audit = await prisma.auditLog.findMany({
      where: { projectId, entityType: "segment", entityId: String(beta.id) },
      orderBy: { id: "asc" },
    });
    expect(audit.map((row) => [row.action, row.summary])).toEqual([
      ["CREATE", "Created segment beta"],
      ["UPDATE", "Renamed segment beta to early-access"],
      ["DELETE", "Deleted segment early-access"],
    ]);
    expect(audit[1]!.changes).toEqual({
      name: { from: "beta", to: "early-access" },
      rules: { from: rules, to: [] },
    });
  });

  it("orders overrides by environment then priority, appending by default, and counts them on features", async () => {
    const { apiKey } = await seedOrganisation();
    const { project, environments } = await createProjectWithEnvironments(apiKey, ["Staging", "Production"]);
    const [staging, production] = environments as [TestEnvironment, TestEnvironment];
    const projectId = project.id;
    const feature = await createFeature(apiKey, projectId, {
      name: "new-checkout",
      initial_value: "control",
    });
    const featureId = feature.id;
    const segments = [];
    for (const name of ["beta", "staff", "vip"])
      segments.push(await createSegment(apiKey, projectId, { name }));
    const [beta, staff, vip] = segments;
    const path = `/api/v1/projects/${projectId}/features/${featureId}/segment-overrides/`;
    const create = (body: Record<string, unknown>) =>
      call(overridesRoute.POST, "POST", path, { apiKey, params: { projectId, featureId }, body });

    const first = expectStatus(
      await create({
        environment: production.id,
        segment: beta.id,
        enabled: true,
        feature_state_value: "treatment",
      }),
      201,
    );
    expect(first).toEqual({
      id: expect.any(Number),
      feature: featureId,
      environment: production.id,
      segment: { id: beta.id, name: "beta" },
      priority: 0,
      enabled: true,
      feature_state_value: "treatment",
      multivariate_feature_state_values: [],
      updated_at: expect.any(String),
    });
    const second = expectStatus(
      await create({ environment: production.id, segment: staff.id, feature_state_value: false }),
      201,
    );
    expect(second).toMatchObject({ priority: 1, enabled: false, feature_state_value: false });
    const third = expectStatus(await create({ environment: production.id, segment: vip.id }), 201);
    expect(third).toMatchObject({ priority: 2, feature_state_value: null });
    const inStaging = expectStatus(
      await create({ environment: staging.id, segment: vip.id, priority: 5 }),
      201,
    );
    expect(inStaging.priority).toBe(5);

    const list = async (query = "") =>
      expectStatus(
        await call(overridesRoute.GET, "GET", `${path}${query}`, {
          apiKey,
          params: { projectId, featureId },
        }),
        200,
      );
    // Staging was created first, so it sorts first.
    expect((await list()).results.map((override: { id: number }) => override.id)).toEqual([
      inStaging.id,
      first.id,
      second.id,
      third.id,
    ]);
    expect(
      (await list(`?environment=${staging.id}`)).results.map((override: { id: number }) => override.id),
    ).toEqual([inStaging.id]);

    // Moving vip to the front of Production.
    const moved = expectStatus(
      await call(overrideRoute.PATCH, "PATCH", `${path}${third.id}/`, {
        apiKey,
        params: { projectId, featureId, overrideId: third.id },
        body: { priority: 0 },
      }),
      200,
    );
    expect(moved.priority).toBe(0);
    const productionOrder = (await list(`?environment=${production.id}`)).results.map(
      (override: { segment: { name: string } }) => override.segment.name,
    );
    // Equal priorities keep creation order: beta (0, older) before vip (0), then staff (1).
    expect(productionOrder).toEqual(["beta", "vip", "staff"]);

    const features = expectStatus(
      await call(
        featuresRoute.GET,
        "GET",
        `/api/v1/projects/${projectId}/features/?environment=${production.id}`,
        { apiKey, params: { projectId } },
      ),
      200,
    );
    expect(features.results[0]).toMatchObject({
      num_segment_overrides: 3,
      environment_state: { feature_state_value: "control" },
    });
    const allEnvironments = expectStatus(
      await call(featuresRoute.GET, "GET", `/api/v1/projects/${projectId}/features/`, {
        apiKey,
        params: { projectId },
      }),
      200,
    );
    expect(allEnvironments.results[0].num_segment_overrides).toBe(4);
  });

  it("updates and deletes overrides with audit rows naming the segment, and refuses duplicates and foreign references", async () => {
    const { apiKey } = await seedOrganisation();
    const { project, environments } = await createProjectWithEnvironments(apiKey, ["Production"]);
    const production = environments[0]!;
    const projectId = project.id;
    const feature = await createFeature(apiKey, projectId, { name: "new-checkout" });
    const featureId = feature.id;
    const beta = await createSegment(apiKey, projectId, { name: "beta" });
    const path = `/api/v1/projects/${projectId}/features/${featureId}/segment-overrides/`;
    const created = expectStatus(
      await call(overridesRoute.POST, "POST", path, {
        apiKey,
        params: { projectId, featureId },
        body: { environment: production.id, segment: beta.id, feature_state_value: "a" },
      }),
      201,
    );
    const overrideParams = { projectId, featureId, overrideId: created.id };
    const patch = (body: unknown) =>
      call(overrideRoute.PATCH, "PATCH", `${path}${created.id}/`, { apiKey, params: overrideParams, body });

    expect(expectStatus(await patch({ enabled: true }), 200)).toMatchObject({
      enabled: true,
      feature_state_value: "a",
    });
    expect(expectStatus(await patch({ feature_state_value: "b", priority: 3 }), 200)).toMatchObject({
      feature_state_value: "b",
      priority: 3,
    });
    expectError(await patch({}), 422, "unprocessable_entity");

    const duplicate = await call(overridesRoute.POST, "POST", path, {
      apiKey,
      params: { projectId, featureId },
      body: { environment: production.id, segment: beta.id },
    });
    expectError(duplicate, 409, "conflict");
    expect(duplicate.body.error.message).toContain("beta");

    const { project: otherProject, environments: otherEnvironments } = await createProjectWithEnvironments(
      apiKey,
      ["Elsewhere"],
    );
    const otherSegment = await createSegment(apiKey, otherProject.id, { name: "theirs" });
    const foreign = await call(overridesRoute.POST, "POST", path, {
      apiKey,
      params: { projectId, featureId },
      body: { environment: otherEnvironments[0]!.id, segment: otherSegment.id },
    });
    expectError(foreign, 422, "unprocessable_entity");
    expect(foreign.body.error.details.map((detail: { field: string }) => detail.field)).toEqual([
      "body.environment",
      "body.segment",
    ]);
    expectError(
      await call(
        overrideRoute.PATCH,
        "PATCH",
        `/api/v1/projects/${otherProject.id}/features/${featureId}/segment-overrides/${created.id}/`,
        {
          apiKey,
          params: { projectId: otherProject.id, featureId, overrideId: created.id },
          body: { enabled: false },
        },
      ),
      404,
    );

    expect(
      (
        await call(overrideRoute.DELETE, "DELETE", `${path}${created.id}/`, {
          apiKey,
          params: overrideParams,
        })
      ).status,
    ).toBe(204);
    expectError(
      await call(overrideRoute.DELETE, "DELETE", `${path}${created.id}/`, { apiKey, params: overrideParams }),
      404,
      "not_found",
    );

    const audit = await prisma.auditLog.findMany({
      where: { featureId, entityType: "segment_override" },
      orderBy: { id: "asc" },
    });
    expect(audit.map((row) => [row.action, row.summary, row.changes])).toEqual([
      [
        "CREATE",
        "Added segment override beta to new-checkout in Production",
        {
          segment: "beta",
          enabled: { from: null, to: false },
          value: { from: null, to: "a" },
          priority: { from: null, to: 0 },
        },
      ],
      [
        "UPDATE",
        "Enabled segment override beta of new-checkout in Production",
        { segment: "beta", enabled: { from: false, to: true } },
      ],
      [
        "UPDATE",
        'Changed value of segment override beta of new-checkout in Production from "a" to "b" and moved it to priority 3',
        { segment: "beta", value: { from: "a", to: "b" }, priority: { from: 0, to: 3 } },
      ],
      [
        "DELETE",
        "Removed segment override beta from new-checkout in Production",
        { segment: "beta", enabled: { from: true, to: null }, value: { from: "b", to: null } },
      ],
    ]);
    expect(audit.every((row) => row.environmentId === production.id && row.projectId === projectId)).toBe(
      true,
    );
  });

  it("lets viewers read segments and overrides but not change them; other organisations get 404", async () => {
    const { apiKey, organisation } = await seedOrganisation();
    const { project, environments } = await createProjectWithEnvironments(apiKey, ["Production"]);
    const projectId = project.id;
    const feature = await createFeature(apiKey, projectId, { name: "guarded" });
    const segment = await createSegment(apiKey, projectId, { name: "beta" });
    const viewer = await seedProjectMember(organisation.id, projectId, "VIEWER");
    const headers = await sessionHeaders(viewer.id);
    const overridesPath = `/api/v1/projects/${projectId}/features/${feature.id}/segment-overrides/`;

    expectStatus(
      await call(segmentsRoute.GET, "GET", `/api/v1/projects/${projectId}/segments/`, {
        headers,
        params: { projectId },
      }),
      200,
    );
    expectStatus(
      await call(overridesRoute.GET, "GET", overridesPath, {
        headers,
        params: { projectId, featureId: feature.id },
      }),
      200,
    );
    expectError(
      await call(segmentsRoute.POST, "POST", `/api/v1/projects/${projectId}/segments/`, {
        headers,
        params: { projectId },
        body: { name: "mine" },
      }),
      403,
      "forbidden",
    );
    expectError(
      await call(segmentRoute.DELETE, "DELETE", `/api/v1/projects/${projectId}/segments/${segment.id}/`, {
        headers,
        params: { projectId, segmentId: segment.id },
      }),
      403,
    );
    expectError(
      await call(overridesRoute.POST, "POST", overridesPath, {
        headers,
        params: { projectId, featureId: feature.id },
        body: { environment: environments[0]!.id, segment: segment.id },
      }),
      403,
    );

    const editor = await seedProjectMember(organisation.id, projectId, "EDITOR");
    expectStatus(
      await call(overridesRoute.POST, "POST", overridesPath, {
        headers: await sessionHeaders(editor.id),
        params: { projectId, featureId: feature.id },
        body: { environment: environments[0]!.id, segment: segment.id },
      }),
      201,
    );

    const stranger = await seedOrganisation();
    expectError(
      await call(segmentRoute.GET, "GET", `/api/v1/projects/${projectId}/segments/${segment.id}/`, {
        apiKey: stranger.apiKey,
        params: { projectId, segmentId: segment.id },
      }),
      404,
    );
    expectError(
      await call(overridesRoute.GET, "GET", overridesPath, {
        apiKey: stranger.apiKey,
        params: { projectId, featureId: feature.id },
      }),
      404,
    );
    expectError(
      await call(overridesRoute.GET, "GET", overridesPath, {
        apiKey,
        params: { projectId, featureId: 999_999 },
      }),
      404,
    );
    const invalid = await call(segmentsRoute.POST, "POST", `/api/v1/projects/${projectId}/segments/`, {
      apiKey,
      params: { projectId },
      body: { name: "", rules: "all" },
    });
    expectError(invalid, 422);
    expect(invalid.body.error.details.map((detail: { field: string }) => detail.field).sort()).toEqual([
      "body.name",
      "body.rules",
    ]);
  });
});
