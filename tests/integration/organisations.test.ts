import { describe, expect, it } from "vitest";
import * as meRoute from "@/app/api/v1/me/route";
import * as apiKeyRoute from "@/app/api/v1/organisations/[organisationId]/api-keys/[keyId]/route";
import * as apiKeysRoute from "@/app/api/v1/organisations/[organisationId]/api-keys/route";
import * as organisationAuditRoute from "@/app/api/v1/organisations/[organisationId]/audit-log/route";
import * as organisationRoute from "@/app/api/v1/organisations/[organisationId]/route";
import * as userRoute from "@/app/api/v1/organisations/[organisationId]/users/[userId]/route";
import * as usersRoute from "@/app/api/v1/organisations/[organisationId]/users/route";
import * as organisationsRoute from "@/app/api/v1/organisations/route";
import * as projectsRoute from "@/app/api/v1/projects/route";
import { verifyPassword } from "@/lib/auth/password";
import { prisma } from "@/lib/db/client";
import { call, expectError, seedOrganisation, seedProjectMember, sessionHeaders } from "@/tests/support/api";
import { createProjectWithEnvironments, expectStatus } from "@/tests/support/flags";

describe("me and organisations API", () => {
  it("describes the caller: a user with organisations and projects and effective roles, or an API key", async () => {
    const { apiKey, organisation, admin } = await seedOrganisation();
    const { project } = await createProjectWithEnvironments(apiKey, []);
    const member = await seedProjectMember(organisation.id, project.id, "EDITOR");
    await prisma.project.create({ data: { name: "Hidden from members", organisationId: organisation.id } });

    const asMember = expectStatus(
      await call(meRoute.GET, "GET", "/api/v1/me/", { headers: await sessionHeaders(member.id) }),
      200,
    );
    expect(asMember).toEqual({
      id: member.id,
      email: member.email,
      name: "",
      gitlab_username: null,
      organisations: [{ id: organisation.id, name: organisation.name, role: "MEMBER" }],
      projects: [{ id: project.id, name: project.name, organisation: organisation.id, role: "EDITOR" }],
    });
    const asAdmin = expectStatus(
      await call(meRoute.GET, "GET", "/api/v1/me", { headers: await sessionHeaders(admin.id) }),
      200,
    );
    expect(asAdmin.organisations).toEqual([{ id: organisation.id, name: organisation.name, role: "ADMIN" }]);
    expect(asAdmin.projects.map((entry: { role: string }) => entry.role)).toEqual(["ADMIN", "ADMIN"]);

    const asKey = expectStatus(await call(meRoute.GET, "GET", "/api/v1/me/", { apiKey }), 200);
    expect(asKey).toMatchObject({
      api_key: { id: expect.any(Number), name: expect.stringMatching(/^test key/) },
      organisations: [{ role: "ADMIN" }],
    });
    expect(asKey.projects).toHaveLength(2);
    expectError(await call(meRoute.GET, "GET", "/api/v1/me/"), 401, "unauthorized");
  });

  it("lists and reads the caller's organisations; others are 404", async () => {
    const { apiKey, organisation, admin } = await seedOrganisation();
    const other = await seedOrganisation();
    await prisma.organisationMember.create({
      data: { organisationId: other.organisation.id, userId: admin.id, role: "MEMBER" },
    });
    const headers = await sessionHeaders(admin.id);

    const list = expectStatus(
      await call(organisationsRoute.GET, "GET", "/api/v1/organisations/", { headers }),
      200,
    );
    expect(list.count).toBe(2);
    expect(list.results).toEqual(
      expect.arrayContaining([
        { id: organisation.id, name: organisation.name, role: "ADMIN" },
        { id: other.organisation.id, name: other.organisation.name, role: "MEMBER" },
      ]),
    );
    expect(
      expectStatus(await call(organisationsRoute.GET, "GET", "/api/v1/organisations", { apiKey }), 200)
        .results,
    ).toEqual([{ id: organisation.id, name: organisation.name, role: "ADMIN" }]);
    const params = { organisationId: other.organisation.id };
    expect(
      expectStatus(
        await call(organisationRoute.GET, "GET", `/api/v1/organisations/${other.organisation.id}/`, {
          headers,
          params,
        }),
        200,
      ).role,
    ).toBe("MEMBER");
    expectError(
      await call(organisationRoute.GET, "GET", `/api/v1/organisations/${other.organisation.id}/`, {
        apiKey,
        params,
      }),
      404,
      "not_found",
    );
  });

  it("lets organisation admins create users with hashed passwords, change roles and remove them, auditing each change", async () => {
    const { apiKey, organisation } = await seedOrganisation();
    const { project } = await createProjectWithEnvironments(apiKey, []);
    const organisationId = organisation.id;
    const path = `/api/v1/organisations/${organisationId}/users/`;

    const created = expectStatus(
      await call(usersRoute.POST, "POST", path, {
        apiKey,
        params: { organisationId },
        body: { email: "Grace@Example.com", password: "a long enough password", name: "Grace" },
      }),
      201,
    );
    expect(created).toEqual({
      id: expect.any(Number),
      email: "grace@example.com",
      name: "Grace",
      role: "MEMBER",
      gitlab_username: null,
      created_at: expect.any(String),
    });
    const stored = await prisma.user.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored.passwordHash).toMatch(/^scrypt\$/);
    expect(await verifyPassword("a long enough password", stored.passwordHash)).toBe(true);

    const duplicate = await call(usersRoute.POST, "POST", path, {
      apiKey,
      params: { organisationId },
      body: { email: "grace@example.com", password: "another long password" },
    });
    expectError(duplicate, 409, "conflict");
    expect(duplicate.body.error.message).toBe("Email “grace@example.com” is already in use");
    const invalid = await call(usersRoute.POST, "POST", path, {
      apiKey,
      params: { organisationId },
      body: { email: "nope", password: "short" },
    });
    expectError(invalid, 422);
    expect(invalid.body.error.details.map((detail: { field: string }) => detail.field).sort()).toEqual([
      "body.email",
      "body.password",
    ]);

    const list = expectStatus(
      await call(usersRoute.GET, "GET", path, { apiKey, params: { organisationId } }),
      200,
    );
    expect(list.count).toBe(2);

    const params = { organisationId, userId: created.id };
    expect(
      expectStatus(
        await call(userRoute.PATCH, "PATCH", `${path}${created.id}/`, {
          apiKey,
          params,
          body: { role: "ADMIN" },
        }),
        200,
      ).role,
    ).toBe("ADMIN");
    await prisma.projectMember.create({
      data: { projectId: project.id, userId: created.id, role: "EDITOR" },
    });
    expect((await call(userRoute.DELETE, "DELETE", `${path}${created.id}/`, { apiKey, params })).status).toBe(
      204,
    );
    // Left without any organisation, the account itself is gone, with its project roles.
    expect(await prisma.user.findUnique({ where: { id: created.id } })).toBeNull();
    expect(await prisma.projectMember.count({ where: { userId: created.id } })).toBe(0);
    expectError(
      await call(userRoute.DELETE, "DELETE", `${path}${created.id}/`, { apiKey, params }),
      404,
      "not_found",
    );

    const audit = await prisma.auditLog.findMany({
      where: { organisationId, entityType: "user", entityId: String(created.id) },
      orderBy: { id: "asc" },
    });
    expect(audit.map((row) => [row.action, row.summary])).toEqual([
      ["CREATE", "Added user grace@example.com as organisation member"],
      ["UPDATE", "Made grace@example.com an organisation admin"],
      ["DELETE", "Removed grace@example.com from the organisation"],
    ]);
  });

  it("never leaves an organisation without an admin (409), and members cannot manage users (403)", async () => {
    const { apiKey, organisation, admin } = await seedOrganisation();
    const organisationId = organisation.id;
    const path = `/api/v1/organisations/${organisationId}/users/`;
    const adminHeaders = await sessionHeaders(admin.id);
    const params = { organisationId, userId: admin.id };

    const demote = await call(userRoute.PATCH, "PATCH", `${path}${admin.id}/`, {
      headers: adminHeaders,
      params,
      body: { role: "MEMBER" },
    });
    expectError(demote, 409, "conflict");
    expect(demote.body.error.message).toContain("last admin");
    expectError(await call(userRoute.DELETE, "DELETE", `${path}${admin.id}/`, { apiKey, params }), 409);

    const second = expectStatus(
      await call(usersRoute.POST, "POST", path, {
        apiKey,
        params: { organisationId },
        body: { email: "second@example.com", password: "a long enough password", role: "ADMIN" },
      }),
      201,
    );
    // Two admins demoting each other at once: exactly one succeeds.
    const [first, other] = await Promise.all([
      call(userRoute.PATCH, "PATCH", `${path}${admin.id}/`, { apiKey, params, body: { role: "MEMBER" } }),
      call(userRoute.PATCH, "PATCH", `${path}${second.id}/`, {
        apiKey,
        params: { organisationId, userId: second.id },
        body: { role: "MEMBER" },
      }),
    ]);
    expect([first.status, other.status].sort()).toEqual([200, 409]);
    expect(await prisma.organisationMember.count({ where: { organisationId, role: "ADMIN" } })).toBe(1);

    const member = await prisma.user.create({ data: { email: "plain@example.com", passwordHash: "unused" } });
    await prisma.organisationMember.create({ data: { organisationId, userId: member.id, role: "MEMBER" } });
    const memberHeaders = await sessionHeaders(member.id);
    expectStatus(
      await call(usersRoute.GET, "GET", path, { headers: memberHeaders, params: { organisationId } }),
      200,
    );
    expectError(
      await call(usersRoute.POST, "POST", path, {
        headers: memberHeaders,
        params: { organisationId },
        body: { email: "x@example.com", password: "a long enough password" },
      }),
      403,
      "forbidden",
    );
    expectError(
      await call(userRoute.PATCH, "PATCH", `${path}${member.id}/`, {
        headers: memberHeaders,
        params: { organisationId, userId: member.id },
        body: { role: "ADMIN" },
      }),
      403,
    );
    const stranger = await seedOrganisation();
    expectError(
      await call(usersRoute.GET, "GET", path, { apiKey: stranger.apiKey, params: { organisationId } }),
      404,
    );
  });

  it("creates API keys shown once, lists them without secrets and revokes them (the key stops working)", async () => {
    const { apiKey, organisation, admin } = await seedOrganisation();
    const organisationId = organisation.id;
    const path = `/api/v1/organisations/${organisationId}/api-keys/`;
    const headers = await sessionHeaders(admin.id);

    const created = expectStatus(
      await call(apiKeysRoute.POST, "POST", path, {
        headers,
        params: { organisationId },
        body: { name: "ci-bot" },
      }),
      201,
    );
    expect(created).toEqual({
      id: expect.any(Number),
      name: "ci-bot",
      prefix: created.key.slice(0, 10),
      key: expect.stringMatching(/^fp_/),
      role: "ADMIN",
      created_at: expect.any(String),
      expires_at: null,
      last_used_at: null,
      revoked_at: null,
    });
    expectStatus(await call(projectsRoute.GET, "GET", "/api/v1/projects/", { apiKey: created.key }), 200);

    const list = expectStatus(
      await call(apiKeysRoute.GET, "GET", path, { apiKey, params: { organisationId } }),
      200,
    );
    expect(list.count).toBe(2);
    expect(list.results[0]).toMatchObject({
      id: created.id,
      name: "ci-bot",
      last_used_at: expect.any(String),
    });
    expect(JSON.stringify(list)).not.toContain(created.key);

    const params = { organisationId, keyId: created.id };
    expect(
      (await call(apiKeyRoute.DELETE, "DELETE", `${path}${created.id}/`, { headers, params })).status,
    ).toBe(204);
    expect(
      (await call(apiKeyRoute.DELETE, "DELETE", `${path}${created.id}/`, { headers, params })).status,
    ).toBe(204);
    expectError(
      await call(projectsRoute.GET, "GET", "/api/v1/projects/", { apiKey: created.key }),
      401,
      "unauthorized",
    );
    const revoked = expectStatus(
      await call(apiKeysRoute.GET, "GET", path, { apiKey, params: { organisationId } }),
      200,
    ).results[0];
    expect(revoked.revoked_at).not.toBeNull();

    const audit = await prisma.auditLog.findMany({
      where: { organisationId, entityType: "api_key", entityId: String(created.id) },
      orderBy: { id: "asc" },
    });
    expect(audit.map((row) => [row.action, row.summary, row.actorLabel])).toEqual([
      ["CREATE", "Created API key ci-bot", admin.email],
      ["DELETE", "Revoked API key ci-bot", admin.email],
    ]);

    const member = await prisma.user.create({
      data: { email: "keyless@example.com", passwordHash: "unused" },
    });
    await prisma.organisationMember.create({ data: { organisationId, userId: member.id, role: "MEMBER" } });
    const memberHeaders = await sessionHeaders(member.id);
    expectError(
      await call(apiKeysRoute.GET, "GET", path, { headers: memberHeaders, params: { organisationId } }),
      403,
      "forbidden",
    );
    expectError(
      await call(apiKeysRoute.POST, "POST", path, {
        headers: memberHeaders,
        params: { organisationId },
        body: { name: "mine" },
      }),
      403,
    );
    const stranger = await seedOrganisation();
    expectError(
      await call(apiKeyRoute.DELETE, "DELETE", `${path}${created.id}/`, { apiKey: stranger.apiKey, params }),
      404,
    );
    expectError(
      await call(
        apiKeyRoute.DELETE,
        "DELETE",
        `/api/v1/organisations/${stranger.organisation.id}/api-keys/${created.id}/`,
        {
          apiKey: stranger.apiKey,
          params: { organisationId: stranger.organisation.id, keyId: created.id },
        },
      ),
      404,
      "not_found",
    );
  });

  it("shows organisation admins the whole organisation's audit log; members are refused", async () => {
    const { apiKey, organisation, admin } = await seedOrganisation();
    const { project } = await createProjectWithEnvironments(apiKey, ["Production"]);
    const organisationId = organisation.id;
    const path = `/api/v1/organisations/${organisationId}/audit-log/`;
    const log = expectStatus(
      await call(organisationAuditRoute.GET, "GET", path, {
        headers: await sessionHeaders(admin.id),
        params: { organisationId },
      }),
      200,
    );
    expect(log.results.map((entry: { summary: string }) => entry.summary)).toEqual([
      "Created environment Production",
      `Created project ${project.name}`,
      `Created administrator ${admin.email}`,
    ]);
    const member = await seedProjectMember(organisationId, project.id, "ADMIN");
    expectError(
      await call(organisationAuditRoute.GET, "GET", path, {
        headers: await sessionHeaders(member.id),
        params: { organisationId },
      }),
      403,
    );
  });
});
