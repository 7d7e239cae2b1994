import { describe, expect, it } from "vitest";
import * as tagRoute from "@/app/api/v1/projects/[projectId]/tags/[tagId]/route";
import * as tagsRoute from "@/app/api/v1/projects/[projectId]/tags/route";
import { prisma } from "@/lib/db/client";
import { call, expectError, seedOrganisation, seedProjectMember, sessionHeaders } from "@/tests/support/api";
import { createFeature, createProjectWithEnvironments, expectStatus } from "@/tests/support/flags";

describe("tags API", () => {
  it("creates user tags, lists them as a plain array, updates and deletes them, auditing each change", async () => {
    const { apiKey } = await seedOrganisation();
    const { project } = await createProjectWithEnvironments(apiKey, []);
    const projectId = project.id;
    const path = `/api/v1/projects/${projectId}/tags/`;
    const backend = expectStatus(
      await call(tagsRoute.POST, "POST", path, {
        apiKey,
        params: { projectId },
        body: { label: "backend", color: "#112233", description: "API work" },
      }),
      201,
    );
    expect(backend).toEqual({
      id: expect.any(Number),
      label: "backend",
      color: "#112233",
      description: "API work",
      type: "NONE",
      is_system_tag: false,
    });
    const frontend = expectStatus(
      await call(tagsRoute.POST, "POST", path, {
        apiKey,
        params: { projectId },
        body: { label: "frontend" },
      }),
      201,
    );
    expect(frontend.color).toMatch(/^#[0-9A-F]{6}$/i);

    const list = expectStatus(
      await call(tagsRoute.GET, "GET", path.slice(0, -1), { apiKey, params: { projectId } }),
      200,
    );
    expect(list.map((tag: { label: string }) => tag.label)).toEqual(["backend", "frontend"]);

    const params = { projectId, tagId: backend.id };
    const updated = expectStatus(
      await call(tagRoute.PATCH, "PATCH", `${path}${backend.id}/`, {
        apiKey,
        params,
        body: { color: "#445566" },
      }),
      200,
    );
    expect(updated).toMatchObject({ label: "backend", color: "#445566" });

    const duplicate = await call(tagsRoute.POST, "POST", path, {
      apiKey,
      params: { projectId },
      body: { label: "frontend" },
    });
    expectError(duplicate, 409, "conflict");
    expect(duplicate.body.error.message).toMatch(/^Label “.+” is already in use$/);

    const feature = await createFeature(apiKey, projectId, { name: "tagged", tags: [backend.id] });
    expect((await call(tagRoute.DELETE, "DELETE", `${path}${backend.id}`, { apiKey, params })).status).toBe(
      204,
    );
    expect(await prisma.featureTag.count({ where: { featureId: feature.id } })).toBe(0);

    const audit = await prisma.auditLog.findMany({
      where: { projectId, entityType: "tag", entityId: String(backend.id) },
      orderBy: { id: "asc" },
    });
    expect(audit.map((row) => [row.action, row.summary, row.changes])).toEqual([
      ["CREATE", "Created tag backend", {}],
      ["UPDATE", "Updated tag backend", { color: { from: "#112233", to: "#445566" } }],
      ["DELETE", "Deleted tag backend", {}],
    ]);
  });

  it("refuses to change or delete system tags (403) and validates colours (422)", async () => {
    const { apiKey } = await seedOrganisation();
    const { project } = await createProjectWithEnvironments(apiKey, []);
    const projectId = project.id;
    const system = await prisma.tag.create({
      data: { projectId, label: "MR merged", type: "GITLAB", isSystemTag: true },
    });
    const params = { projectId, tagId: system.id };
    const path = `/api/v1/projects/${projectId}/tags/${system.id}/`;
    expectError(
      await call(tagRoute.PATCH, "PATCH", path, { apiKey, params, body: { label: "mine" } }),
      403,
      "forbidden",
    );
    expectError(await call(tagRoute.DELETE, "DELETE", path, { apiKey, params }), 403, "forbidden");
    expect(await prisma.tag.findUnique({ where: { id: system.id } })).toMatchObject({ label: "MR merged" });

    const listed = expectStatus(
      await call(tagsRoute.GET, "GET", `/api/v1/projects/${projectId}/tags/`, {
        apiKey,
        params: { projectId },
      }),
      200,
    );
    expect(listed).toEqual([expect.objectContaining({ id: system.id, type: "GITLAB", is_system_tag: true })]);

    const invalid = await call(tagsRoute.POST, "POST", `/api/v1/projects/${projectId}/tags/`, {
      apiKey,
      params: { projectId },
      body: { label: "red", color: "red" },
    });
    expectError(invalid, 422, "unprocessable_entity");
    expect(invalid.body.error.details).toEqual([
      { field: "body.color", issue: "Colour must look like #RRGGBB" },
    ]);
  });

  it("lets viewers list tags but not create them; hides other organisations' tags (404)", async () => {
    const { apiKey, organisation } = await seedOrganisation();
    const { project } = await createProjectWithEnvironments(apiKey, []);
    const projectId = project.id;
    const tag = expectStatus(
      await call(tagsRoute.POST, "POST", `/api/v1/projects/${projectId}/tags/`, {
        apiKey,
        params: { projectId },
        body: { label: "ops" },
      }),
      201,
    );
    const viewer = await seedProjectMember(organisation.id, projectId, "VIEWER");
    const headers = await sessionHeaders(viewer.id);
    expect(
      expectStatus(
        await call(tagsRoute.GET, "GET", `/api/v1/projects/${projectId}/tags/`, {
          headers,
          params: { projectId },
        }),
        200,
      ),
    ).toHaveLength(1);
    expectError(
      await call(tagsRoute.POST, "POST", `/api/v1/projects/${projectId}/tags/`, {
        headers,
        params: { projectId },
        body: { label: "mine" },
      }),
      403,
    );
    expectError(
      await call(tagRoute.PATCH, "PATCH", `/api/v1/projects/${projectId}/tags/${tag.id}/`, {
        headers,
        params: { projectId, tagId: tag.id },
        body: { label: "x" },
      }),
      403,
    );
    const stranger = await seedOrganisation();
    expectError(
      await call(tagRoute.DELETE, "DELETE", `/api/v1/projects/${projectId}/tags/${tag.id}/`, {
        apiKey: stranger.apiKey,
        params: { projectId, tagId: tag.id },
      }),
      404,
    );
    expectError(
      await call(tagRoute.DELETE, "DELETE", `/api/v1/projects/${projectId}/tags/999999/`, {
        apiKey,
        params: { projectId, tagId: 999_999 },
      }),
      404,
      "not_found",
    );
  });
});
