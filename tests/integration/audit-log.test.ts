import { describe, expect, it } from "vitest";
import * as featureStateRoute from "@/app/api/v1/environments/[envApiKey]/featurestates/[stateId]/route";
import * as auditLogRoute from "@/app/api/v1/projects/[projectId]/audit-log/route";
import { prisma } from "@/lib/db/client";
import { call, expectError, seedOrganisation, seedProjectMember, sessionHeaders } from "@/tests/support/api";
import {
  createFeature,
  createProjectWithEnvironments,
  expectStatus,
  type TestEnvironment,
} from "@/tests/support/flags";

describe("project audit log API", () => {
  it("lists a project's entries newest first with feature, environment and search filters and paging", async () => {
    const { apiKey, organisation } = await seedOrganisation();
    const { project, environments } = await createProjectWithEnvironments(apiKey, ["Staging", "Production"]);
    const [staging, production] = environments as [TestEnvironment, TestEnvironment];
    const projectId = project.id;
    const checkout = await createFeature(apiKey, projectId, { name: "new-checkout" });
    await createFeature(apiKey, projectId, { name: "banner" });
    const editor = await seedProjectMember(organisation.id, projectId, "EDITOR");
    const state = await prisma.featureState.findUniqueOrThrow({
      where: { featureId_environmentId: { featureId: checkout.id, environmentId: production.id } },
    });
    expectStatus(
      await call(
        featureStateRoute.PATCH,
        "PATCH",
        `/api/v1/environments/${production.api_key}/featurestates/${state.id}/`,
        {
          headers: await sessionHeaders(editor.id),
          params: { envApiKey: production.api_key, stateId: state.id },
          body: { enabled: true },
        },
      ),
      200,
    );
    const path = `/api/v1/projects/${projectId}/audit-log/`;
    const list = async (query = "") =>
      expectStatus(
        await call(auditLogRoute.GET, "GET", `${path}${query}`, { apiKey, params: { projectId } }),
        200,
      );

    const all = await list();
    expect(all.results.map((entry: { summary: string }) => entry.summary)).toEqual([
      "Enabled new-checkout in Production",
      "Created feature banner",
      "Created feature new-checkout",
      "Created environment Production",
      "Created environment Staging",
      `Created project ${project.name}`,
    ]);
    expect(all.results[0]).toEqual({
      id: expect.any(Number),
      created_at: expect.any(String),
      actor: editor.email,
      action: "UPDATE",
      entity_type: "feature_state",
      entity_id: String(state.id),
      summary: "Enabled new-checkout in Production",
      changes: { enabled: { from: false, to: true } },
      project: projectId,
      environment: production.id,
      feature: checkout.id,
    });

    const byFeature = await list(`?feature=${checkout.id}`);
    expect(byFeature.results.map((entry: { summary: string }) => entry.summary)).toEqual([
      "Enabled new-checkout in Production",
      "Created feature new-checkout",
    ]);
    expect(
      (await list(`?environment=${staging.id}`)).results.map((entry: { summary: string }) => entry.summary),
    ).toEqual(["Created environment Staging"]);
    expect((await list("?search=BANNER")).count).toBe(1);
    expect((await list(`?search=${encodeURIComponent(editor.email)}`)).count).toBe(1);

    const page = await list("?page_size=4&page=2");
    expect(page).toMatchObject({ count: 6, next: null });
    expect(page.results).toHaveLength(2);
    expect(page.previous).toContain("page=1");
  });

  it("lets viewers read the log; other organisations get 404 and bad filters 400", async () => {
    const { apiKey, organisation } = await seedOrganisation();
    const { project } = await createProjectWithEnvironments(apiKey, []);
    const projectId = project.id;
    const viewer = await seedProjectMember(organisation.id, projectId, "VIEWER");
    const path = `/api/v1/projects/${projectId}/audit-log`;
    expect(
      expectStatus(
        await call(auditLogRoute.GET, "GET", path, {
          headers: await sessionHeaders(viewer.id),
          params: { projectId },
        }),
        200,
      ).count,
    ).toBe(1);
    const stranger = await seedOrganisation();
    expectError(
      await call(auditLogRoute.GET, "GET", path, { apiKey: stranger.apiKey, params: { projectId } }),
      404,
      "not_found",
    );
    const badFilter = await call(auditLogRoute.GET, "GET", `${path}?feature=new-checkout`, {
      apiKey,
      params: { projectId },
    });
    expectError(badFilter, 400, "bad_request");
    expect(badFilter.body.error.details).toEqual([{ field: "query.feature", issue: "must be an id" }]);
    expectError(await call(auditLogRoute.GET, "GET", path, { params: { projectId } }), 401);
  });
});
