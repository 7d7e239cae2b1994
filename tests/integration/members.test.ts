import { describe, expect, it } from "vitest";
import * as memberRoute from "@/app/api/v1/projects/[projectId]/members/[userId]/route";
import * as membersRoute from "@/app/api/v1/projects/[projectId]/members/route";
import { prisma } from "@/lib/db/client";
import { call, expectError, seedOrganisation, seedProjectMember, sessionHeaders } from "@/tests/support/api";
import { createProjectWithEnvironments, expectStatus } from "@/tests/support/flags";

async function organisationUser(organisationId: number, email: string) {
  const user = await prisma.user.create({
    data: { email, name: email.split("@")[0]!, passwordHash: "unused" },
  });
  await prisma.organisationMember.create({ data: { organisationId, userId: user.id, role: "MEMBER" } });
  return user;
}

describe("project members API", () => {
  it("adds organisation members to a project, lists, changes and removes them, auditing each change", async () => {
    const { apiKey, organisation } = await seedOrganisation();
    const { project } = await createProjectWithEnvironments(apiKey, []);
    const projectId = project.id;
    const ada = await organisationUser(organisation.id, "ada@example.com");
    const path = `/api/v1/projects/${projectId}/members/`;

    const added = expectStatus(
      await call(membersRoute.POST, "POST", path, {
        apiKey,
        params: { projectId },
        body: { user: ada.id, role: "EDITOR" },
      }),
      201,
    );
    expect(added).toEqual({
      user: { id: ada.id, email: "ada@example.com", name: "ada" },
      role: "EDITOR",
      created_at: expect.any(String),
    });
    const list = expectStatus(
      await call(membersRoute.GET, "GET", path.slice(0, -1), { apiKey, params: { projectId } }),
      200,
    );
    expect(list).toMatchObject({ count: 1, results: [{ user: { id: ada.id }, role: "EDITOR" }] });

    const again = await call(membersRoute.POST, "POST", path, {
      apiKey,
      params: { projectId },
      body: { user: ada.id, role: "VIEWER" },
    });
    expectError(again, 409, "conflict");

    const params = { projectId, userId: ada.id };
    expect(
      expectStatus(
        await call(memberRoute.PATCH, "PATCH", `${path}${ada.id}/`, {
          apiKey,
          params,
          body: { role: "ADMIN" },
        }),
        200,
      ).role,
    ).toBe("ADMIN");
    expect((await call(memberRoute.DELETE, "DELETE", `${path}${ada.id}/`, { apiKey, params })).status).toBe(
      204,
    );
    expectError(
      await call(memberRoute.DELETE, "DELETE", `${path}${ada.id}/`, { apiKey, params }),
      404,
      "not_found",
    );

    const audit = await prisma.auditLog.findMany({
      where: { projectId, entityType: "project_member" },
      orderBy: { id: "asc" },
    });
    expect(audit.map((row) => [row.action, row.summary, row.changes])).toEqual([
      [
        "CREATE",
        `Added ada@example.com to project ${project.name} as editor`,
        { role: { from: null, to: "EDITOR" } },
      ],
      [
        "UPDATE",
        `Changed the role of ada@example.com in project ${project.name} to admin`,
        { role: { from: "EDITOR", to: "ADMIN" } },
      ],
      [
        "DELETE",
        `Removed ada@example.com from project ${project.name}`,
        { role: { from: "ADMIN", to: null } },
      ],
    ]);
  });

  it("only accepts users of the project's organisation (422) and validates roles", async () => {
    const { apiKey, organisation } = await seedOrganisation();
    const other = await seedOrganisation();
    const { project } = await createProjectWithEnvironments(apiKey, []);
    const projectId = project.id;
    const outsider = await organisationUser(other.organisation.id, "outsider@example.com");
    const path = `/api/v1/projects/${projectId}/members/`;
    for (const user of [outsider.id, 999_999]) {
      const refused = await call(membersRoute.POST, "POST", path, {
        apiKey,
        params: { projectId },
        body: { user, role: "VIEWER" },
      });
      expectError(refused, 422, "unprocessable_entity");
      expect(refused.body.error.details).toEqual([
        { field: "body.user", issue: "not a member of this project's organisation" },
      ]);
    }
    const insider = await organisationUser(organisation.id, "insider@example.com");
    const badRole = await call(membersRoute.POST, "POST", path, {
      apiKey,
      params: { projectId },
      body: { user: insider.id, role: "OWNER" },
    });
    expectError(badRole, 422);
    expect(badRole.body.error.details[0].field).toBe("body.role");
  });

  it("needs the project admin role: editors and viewers may list members but not manage them", async () => {
    const { apiKey, organisation } = await seedOrganisation();
    const { project } = await createProjectWithEnvironments(apiKey, []);
    const projectId = project.id;
    const editor = await seedProjectMember(organisation.id, projectId, "EDITOR");
    const candidate = await organisationUser(organisation.id, "candidate@example.com");
    const headers = await sessionHeaders(editor.id);
    const path = `/api/v1/projects/${projectId}/members/`;
    expect(
      expectStatus(await call(membersRoute.GET, "GET", path, { headers, params: { projectId } }), 200).count,
    ).toBe(1);
    expectError(
      await call(membersRoute.POST, "POST", path, {
        headers,
        params: { projectId },
        body: { user: candidate.id, role: "VIEWER" },
      }),
      403,
      "forbidden",
    );
    expectError(
      await call(memberRoute.PATCH, "PATCH", `${path}${editor.id}/`, {
        headers,
        params: { projectId, userId: editor.id },
        body: { role: "ADMIN" },
      }),
      403,
    );

    const projectAdmin = await seedProjectMember(organisation.id, projectId, "ADMIN");
    expectStatus(
      await call(membersRoute.POST, "POST", path, {
        headers: await sessionHeaders(projectAdmin.id),
        params: { projectId },
        body: { user: candidate.id, role: "VIEWER" },
      }),
      201,
    );
    const stranger = await seedOrganisation();
    expectError(
      await call(membersRoute.GET, "GET", path, { apiKey: stranger.apiKey, params: { projectId } }),
      404,
    );
  });
});
