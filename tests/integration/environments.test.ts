import { describe, expect, it } from "vitest";
import * as environmentRoute from "@/app/api/v1/environments/[envApiKey]/route";
import * as environmentsRoute from "@/app/api/v1/environments/route";
import { prisma } from "@/lib/db/client";
import { call, expectError, seedOrganisation, seedProjectMember, sessionHeaders } from "@/tests/support/api";
import { createProjectWithEnvironments, expectStatus } from "@/tests/support/flags";

describe("environments API", () => {
  it("protects environments named like production by default; an admin can change it, audited", async () => {
    const { apiKey } = await seedOrganisation();
    const { environments } = await createProjectWithEnvironments(apiKey, [
      "Development",
      "Production",
      "prod-eu",
      "Products demo",
    ]);
    expect(environments.map((environment) => [environment.name, environment.protected])).toEqual([
      ["Development", false],
      ["Production", true],
      ["prod-eu", true],
      ["Products demo", false],
    ]);
    const development = environments[0]!;
    const params = { envApiKey: development.api_key };
    const patch = (body: unknown) =>
      call(environmentRoute.PATCH, "PATCH", `/api/v1/environments/${development.api_key}/`, {
        apiKey,
        params,
        body,
      });
    expect(expectStatus(await patch({ protected: true }), 200)).toMatchObject({
      name: "Development",
      protected: true,
    });
    const audit = await prisma.auditLog.findFirstOrThrow({
      where: { entityType: "environment", environmentId: development.id, action: "UPDATE" },
    });
    expect(audit.summary).toBe("Protected environment Development");
    expect(audit.changes).toEqual({ protected: { from: false, to: true } });
    expectError(await patch({}), 422, "unprocessable_entity");
    expectError(await patch({ protected: "yes" }), 422, "unprocessable_entity");
  });

  it("creates an environment with a state for each of 400 features from their defaults, in one audited change", async () => {
    const { apiKey } = await seedOrganisation();
    const { project } = await createProjectWithEnvironments(apiKey, []);
    await prisma.feature.createMany({
      data: Array.from({ length: 400 }, (_, index) => ({
        projectId: project.id,
        name: `flag-${index}`,
        defaultEnabled: index % 2 === 0,
        valueType: index % 4 === 0 ? ("INTEGER" as const) : ("STRING" as const),
        initialValue: index % 4 === 0 ? String(index) : null,
      })),
    });

    const environment = expectStatus(
      await call(environmentsRoute.POST, "POST", "/api/v1/environments", {
        apiKey,
        body: { name: "Production", project: project.id },
      }),
      201,
    );
    expect(environment).toMatchObject({
      name: "Production",
      project: project.id,
      api_key: expect.stringMatching(/^[A-Za-z0-9_-]{20,}$/),
    });
    const states = await prisma.featureState.findMany({
      where: { environmentId: environment.id },
      include: { feature: true },
    });
    expect(states).toHaveLength(400);
    for (const state of states) {
      expect(state.enabled).toBe(state.feature.defaultEnabled);
      expect([state.valueType, state.value]).toEqual([state.feature.valueType, state.feature.initialValue]);
    }
    const audit = await prisma.auditLog.findMany({
      where: { projectId: project.id, entityType: "environment" },
    });
    expect(audit).toEqual([
      expect.objectContaining({
        action: "CREATE",
        environmentId: environment.id,
        summary: "Created environment Production",
      }),
    ]);
  });

  it("lists a project's environments, reads, renames and deletes one by api_key, auditing each change", async () => {
    const { apiKey } = await seedOrganisation();
    const { project, environments } = await createProjectWithEnvironments(apiKey, [
      "Development",
      "Staging",
      "Production",
    ]);
    const list = expectStatus(
      await call(environmentsRoute.GET, "GET", `/api/v1/environments/?project=${project.id}&page_size=2`, {
        apiKey,
      }),
      200,
    );
    expect(list.count).toBe(3);
    expect(list.results.map((environment: { name: string }) => environment.name)).toEqual([
      "Development",
      "Staging",
    ]);
    expect(list.next).toBe(
      `http://localhost:3000/api/v1/environments/?project=${project.id}&page_size=2&page=2`,
    );

    const staging = environments[1]!;
    const params = { envApiKey: staging.api_key };
    expect(
      expectStatus(
        await call(environmentRoute.GET, "GET", `/api/v1/environments/${staging.api_key}`, {
          apiKey,
          params,
        }),
        200,
      ),
    ).toEqual(staging);
    const renamed = expectStatus(
      await call(environmentRoute.PATCH, "PATCH", `/api/v1/environments/${staging.api_key}/`, {
        apiKey,
        params,
        body: { name: "QA" },
      }),
      200,
    );
    expect(renamed).toMatchObject({ id: staging.id, name: "QA", api_key: staging.api_key });

    const duplicate = await call(
      environmentRoute.PATCH,
      "PATCH",
      `/api/v1/environments/${staging.api_key}/`,
      {
        apiKey,
        params,
        body: { name: "Production" },
      },
    );
    expectError(duplicate, 409, "conflict");
    expect(duplicate.body.error.message).toBe("Name “Production” is already in use");
    expectError(
      await call(environmentsRoute.POST, "POST", "/api/v1/environments/", {
        apiKey,
        body: { name: "Development", project: project.id },
      }),
      409,
    );

    expect(
      (
        await call(environmentRoute.DELETE, "DELETE", `/api/v1/environments/${staging.api_key}/`, {
          apiKey,
          params,
        })
      ).status,
    ).toBe(204);
    expectError(
      await call(environmentRoute.GET, "GET", `/api/v1/environments/${staging.api_key}/`, { apiKey, params }),
      404,
      "not_found",
    );

    const audit = await prisma.auditLog.findMany({
      where: { environmentId: staging.id },
      orderBy: { id: "asc" },
    });
    expect(audit.map((row) => [row.action, row.summary, row.changes])).toEqual([
      ["CREATE", "Created environment Staging", {}],
      ["UPDATE", "Renamed environment Staging to QA", { name: { from: "Staging", to: "QA" } }],
      ["DELETE", "Deleted environment QA", {}],
    ]);
  });

  it("needs the project admin role to manage environments; editors and viewers may only read", async () => {
    const { apiKey, organisation } = await seedOrganisation();
    const { project, environments } = await createProjectWithEnvironments(apiKey, ["Production"]);
    const production = environments[0]!;
    const params = { envApiKey: production.api_key };
    for (const role of ["EDITOR", "VIEWER"] as const) {
      const member = await seedProjectMember(organisation.id, project.id, role);
      const headers = await sessionHeaders(member.id);
      expectStatus(
        await call(environmentsRoute.GET, "GET", `/api/v1/environments/?project=${project.id}`, { headers }),
        200,
      );
      expectStatus(
        await call(environmentRoute.GET, "GET", `/api/v1/environments/${production.api_key}/`, {
          headers,
          params,
        }),
        200,
      );
      expectError(
        await call(environmentsRoute.POST, "POST", "/api/v1/environments/", {
          headers,
          body: { name: "Mine", project: project.id },
        }),
        403,
        "forbidden",
      );
      expectError(
        await call(environmentRoute.PATCH, "PATCH", `/api/v1/environments/${production.api_key}/`, {
          headers,
          params,
          body: { name: "Mine" },
        }),
        403,
      );
      expectError(
        await call(environmentRoute.DELETE, "DELETE", `/api/v1/environments/${production.api_key}/`, {
          headers,
          params,
        }),
        403,
      );
    }
    const admin = await seedProjectMember(organisation.id, project.id, "ADMIN");
    expectStatus(
      await call(environmentsRoute.POST, "POST", "/api/v1/environments/", {
        headers: await sessionHeaders(admin.id),
        body: { name: "Staging", project: project.id },
      }),
      201,
    );
  });

  it("answers 400 without ?project, 404 for unknown keys and other organisations, 422 for bad bodies, 401 without credentials", async () => {
    const { apiKey } = await seedOrganisation();
    const { project, environments } = await createProjectWithEnvironments(apiKey, ["Production"]);
    const production = environments[0]!;
    const stranger = await seedOrganisation();

    const missingProject = await call(environmentsRoute.GET, "GET", "/api/v1/environments/", { apiKey });
    expectError(missingProject, 400, "bad_request");
    expect(missingProject.body.error.details).toEqual([{ field: "query.project", issue: "Required" }]);
    expectError(await call(environmentsRoute.GET, "GET", "/api/v1/environments/?project=x", { apiKey }), 400);
    expectError(
      await call(environmentsRoute.GET, "GET", `/api/v1/environments/?project=${project.id}`, {
        apiKey: stranger.apiKey,
      }),
      404,
    );
    expectError(
      await call(environmentsRoute.POST, "POST", "/api/v1/environments/", {
        apiKey: stranger.apiKey,
        body: { name: "Theirs", project: project.id },
      }),
      404,
    );
    expectError(
      await call(environmentRoute.GET, "GET", `/api/v1/environments/${production.api_key}/`, {
        apiKey: stranger.apiKey,
        params: { envApiKey: production.api_key },
      }),
      404,
      "not_found",
    );
    expectError(
      await call(environmentRoute.GET, "GET", "/api/v1/environments/unknown/", {
        apiKey,
        params: { envApiKey: "unknown" },
      }),
      404,
    );
    expectError(
      await call(environmentRoute.GET, "GET", "/api/v1/environments/a%20b/", {
        apiKey,
        params: { envApiKey: "a b" },
      }),
      404,
    );

    const invalid = await call(environmentsRoute.POST, "POST", "/api/v1/environments/", {
      apiKey,
      body: { name: " ", project: "one" },
    });
    expectError(invalid, 422, "unprocessable_entity");
    expect(invalid.body.error.details.map((detail: { field: string }) => detail.field).sort()).toEqual([
      "body.name",
      "body.project",
    ]);
    expectError(
      await call(environmentsRoute.POST, "POST", "/api/v1/environments/", { apiKey, rawBody: "[" }),
      400,
      "bad_request",
    );
    expectError(
      await call(environmentsRoute.GET, "GET", `/api/v1/environments/?project=${project.id}`),
      401,
      "unauthorized",
    );
  });
});
