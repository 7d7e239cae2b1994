import { describe, expect, it } from "vitest";
import * as projectRoute from "@/app/api/v1/projects/[projectId]/route";
import * as projectsRoute from "@/app/api/v1/projects/route";
import { prisma } from "@/lib/db/client";
import { call, expectError, seedOrganisation, seedProjectMember, sessionHeaders } from "@/tests/support/api";

describe("projects API", () => {
  it("creates, lists, reads, renames and deletes a project with an API key, auditing each step", async () => {
    const { apiKey, organisation } = await seedOrganisation();
    const created = await call(projectsRoute.POST, "POST", "/api/v1/projects/", {
      apiKey,
      body: { name: "Checkout", create_default_environments: true },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "Checkout", organisation: organisation.id });
    const projectId = created.body.id as number;
    expect(await prisma.environment.count({ where: { projectId } })).toBe(2);

    const list = await call(projectsRoute.GET, "GET", "/api/v1/projects/?page_size=1", { apiKey });
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ count: 1, next: null, previous: null });
    expect(list.body.results[0].id).toBe(projectId);

    const renamed = await call(projectRoute.PATCH, "PATCH", `/api/v1/projects/${projectId}`, {
      apiKey,
      params: { projectId },
      body: { name: "Checkout v2" },
    });
    expect(renamed.body.name).toBe("Checkout v2");

    const deleted = await call(projectRoute.DELETE, "DELETE", `/api/v1/projects/${projectId}/`, {
      apiKey,
      params: { projectId },
    });
    expect(deleted.status).toBe(204);
    expectError(
      await call(projectRoute.GET, "GET", `/api/v1/projects/${projectId}/`, {
        apiKey,
        params: { projectId },
      }),
      404,
      "not_found",
    );

    const audit = await prisma.auditLog.findMany({ where: { projectId }, orderBy: { id: "asc" } });
    expect(audit.map((row) => `${row.action} ${row.entityType}`)).toEqual([
      "CREATE project",
      "CREATE environment",
      "CREATE environment",
      "UPDATE project",
      "DELETE project",
    ]);
    expect(audit.every((row) => row.actorLabel.startsWith("API key"))).toBe(true);
  });

  it("answers 401 without credentials and for a wrong key, 404 for another organisation's project", async () => {
    const first = await seedOrganisation();
    const second = await seedOrganisation();
    const project = await prisma.project.create({
      data: { name: "Private", organisationId: first.organisation.id },
    });
    expectError(await call(projectsRoute.GET, "GET", "/api/v1/projects/"), 401, "unauthorized");
    expectError(await call(projectsRoute.GET, "GET", "/api/v1/projects/", { apiKey: "fp_wrong" }), 401);
    expectError(
      await call(projectRoute.GET, "GET", `/api/v1/projects/${project.id}/`, {
        apiKey: second.apiKey,
        params: { projectId: project.id },
      }),
      404,
    );
    expectError(
      await call(projectRoute.GET, "GET", "/api/v1/projects/abc/", {
        apiKey: first.apiKey,
        params: { projectId: "abc" },
      }),
      404,
    );
  });

  it("validates input: malformed JSON 400, invalid values 422 with field paths, oversize 413", async () => {
    const { apiKey } = await seedOrganisation();
    expectError(
      await call(projectsRoute.POST, "POST", "/api/v1/projects/", { apiKey, rawBody: "{nope" }),
      400,
      "bad_request",
    );
    const invalid = await call(projectsRoute.POST, "POST", "/api/v1/projects/", {
      apiKey,
      body: { name: "" },
    });
    expectError(invalid, 422, "unprocessable_entity");
    expect(invalid.body.error.details).toEqual([{ field: "body.name", issue: "Project name is required" }]);
    const huge = await call(projectsRoute.POST, "POST", "/api/v1/projects/", {
      apiKey,
      rawBody: JSON.stringify({ name: "x".repeat(1024 * 1024 + 10) }),
    });
    expectError(huge, 413, "payload_too_large");
  });

  it("lets viewers read but not change a project, and refuses cross-site cookie writes", async () => {
    const { organisation, admin } = await seedOrganisation();
    const project = await prisma.project.create({
      data: { name: "Shared", organisationId: organisation.id },
    });
    const viewer = await seedProjectMember(organisation.id, project.id, "VIEWER");
    const viewerHeaders = await sessionHeaders(viewer.id);
    const read = await call(projectRoute.GET, "GET", `/api/v1/projects/${project.id}/`, {
      headers: viewerHeaders,
      params: { projectId: project.id },
    });
    expect(read.status).toBe(200);
    expectError(
      await call(projectRoute.PATCH, "PATCH", `/api/v1/projects/${project.id}/`, {
        headers: viewerHeaders,
        params: { projectId: project.id },
        body: { name: "Mine now" },
      }),
      403,
      "forbidden",
    );
    const adminHeaders = await sessionHeaders(admin.id);
    expectError(
      await call(projectRoute.PATCH, "PATCH", `/api/v1/projects/${project.id}/`, {
        headers: { ...adminHeaders, origin: "https://evil.example" },
        params: { projectId: project.id },
        body: { name: "Hijacked" },
      }),
      403,
    );
    const ok = await call(projectRoute.PATCH, "PATCH", `/api/v1/projects/${project.id}/`, {
      headers: adminHeaders,
      params: { projectId: project.id },
      body: { name: "Renamed by admin" },
    });
    expect(ok.status).toBe(200);
  });
});
