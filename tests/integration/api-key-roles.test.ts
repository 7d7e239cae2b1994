import { describe, expect, it } from "vitest";
import * as meRoute from "@/app/api/v1/me/route";
import * as apiKeyRoute from "@/app/api/v1/organisations/[organisationId]/api-keys/[keyId]/route";
import * as apiKeysRoute from "@/app/api/v1/organisations/[organisationId]/api-keys/route";
import * as featuresRoute from "@/app/api/v1/projects/[projectId]/features/route";
import * as projectsRoute from "@/app/api/v1/projects/route";
import { createApiKey } from "@/lib/auth/api-keys";
import { prisma } from "@/lib/db/client";
import { call, expectError, seedOrganisation, sessionHeaders } from "@/tests/support/api";
import { createProjectWithEnvironments, expectStatus } from "@/tests/support/flags";

// Organisation API keys carry a role (read-only, editor, admin) and an optional expiry; they are
// checked on every request, and their last use is recorded at most once a minute.

const keysPath = (organisationId: number) => `/api/v1/organisations/${organisationId}/api-keys/`;

async function createKeyThroughApi(
  organisationId: number,
  headers: Record<string, string>,
  body: Record<string, unknown>,
) {
  return call(apiKeysRoute.POST, "POST", keysPath(organisationId), {
    headers,
    params: { organisationId },
    body,
  });
}

async function setup() {
  const seeded = await seedOrganisation();
  const { project } = await createProjectWithEnvironments(seeded.apiKey, ["Development"]);
  return {
    ...seeded,
    organisationId: seeded.organisation.id,
    projectId: project.id,
    headers: await sessionHeaders(seeded.admin.id),
  };
}

const newFeature = (apiKey: string, projectId: number) =>
  call(featuresRoute.POST, "POST", `/api/v1/projects/${projectId}/features/`, {
    apiKey,
    params: { projectId },
    body: { name: `flag_${Math.random().toString(36).slice(2, 8)}` },
  });

describe("API key roles", () => {
  it("lets a read-only key read but not write (403), an editor key edit flags but not administer, an admin key do both", async () => {
    const { organisationId, projectId, headers } = await setup();
    const readOnly = expectStatus(
      await createKeyThroughApi(organisationId, headers, { name: "dashboards", role: "READ_ONLY" }),
      201,
    );
    const editor = expectStatus(
      await createKeyThroughApi(organisationId, headers, { name: "ci", role: "EDITOR" }),
      201,
    );
    const admin = expectStatus(
      await createKeyThroughApi(organisationId, headers, { name: "terraform" }),
      201,
    );
    expect([readOnly.role, editor.role, admin.role]).toEqual(["READ_ONLY", "EDITOR", "ADMIN"]);

    expect(
      expectStatus(
        await call(projectsRoute.GET, "GET", "/api/v1/projects/", { apiKey: readOnly.key }),
        200,
      ).results.map((p: { id: number }) => p.id),
    ).toEqual([projectId]);
    expectStatus(
      await call(featuresRoute.GET, "GET", `/api/v1/projects/${projectId}/features/`, {
        apiKey: readOnly.key,
        params: { projectId },
      }),
      200,
    );
    expectError(await newFeature(readOnly.key, projectId), 403, "forbidden");
    expectError(
      await call(projectsRoute.POST, "POST", "/api/v1/projects/", {
        apiKey: readOnly.key,
        body: { name: "nope" },
      }),
      403,
      "forbidden",
    );
    expectError(
      await call(apiKeysRoute.GET, "GET", keysPath(organisationId), {
        apiKey: readOnly.key,
        params: { organisationId },
      }),
      403,
      "forbidden",
    );

    expectStatus(await newFeature(editor.key, projectId), 201);
    expectError(
      await call(projectsRoute.POST, "POST", "/api/v1/projects/", {
        apiKey: editor.key,
        body: { name: "nope" },
      }),
      403,
      "forbidden",
    );
    expectError(
      await call(apiKeysRoute.POST, "POST", keysPath(organisationId), {
        apiKey: editor.key,
        params: { organisationId },
        body: { name: "escalate", role: "ADMIN" },
      }),
      403,
      "forbidden",
    );

    expectStatus(await newFeature(admin.key, projectId), 201);
    expectStatus(
      await call(projectsRoute.POST, "POST", "/api/v1/projects/", {
        apiKey: admin.key,
        body: { name: `p ${Date.now()}` },
      }),
      201,
    );

    const me = expectStatus(await call(meRoute.GET, "GET", "/api/v1/me/", { apiKey: readOnly.key }), 200);
    expect(me).toMatchObject({
      api_key: { id: readOnly.id, role: "READ_ONLY" },
      organisations: [{ role: "MEMBER" }],
    });
    expect(me.projects.map((p: { role: string }) => p.role)).toEqual(["VIEWER", "VIEWER"]);
  });

  it("refuses an expired key and a revoked key with 401", async () => {
    const { organisationId, projectId, headers } = await setup();
    const expiresAt = new Date(Date.now() + 3600_000).toISOString();
    const shortLived = expectStatus(
      await createKeyThroughApi(organisationId, headers, {
        name: "temp",
        role: "EDITOR",
        expires_at: expiresAt,
      }),
      201,
    );
    expect(shortLived.expires_at).toBe(expiresAt);
    expectStatus(await newFeature(shortLived.key, projectId), 201);

    await prisma.apiKey.update({
      where: { id: shortLived.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const expired = await call(projectsRoute.GET, "GET", "/api/v1/projects/", { apiKey: shortLived.key });
    expectError(expired, 401, "unauthorized");
    expect(expired.body.error.message).toMatch(/expired/i);

    const revokable = expectStatus(
      await createKeyThroughApi(organisationId, headers, { name: "gone", role: "READ_ONLY" }),
      201,
    );
    expectStatus(await call(projectsRoute.GET, "GET", "/api/v1/projects/", { apiKey: revokable.key }), 200);
    expect(
      (
        await call(apiKeyRoute.DELETE, "DELETE", `${keysPath(organisationId)}${revokable.id}/`, {
          headers,
          params: { organisationId, keyId: revokable.id },
        })
      ).status,
    ).toBe(204);
    expectError(
      await call(projectsRoute.GET, "GET", "/api/v1/projects/", { apiKey: revokable.key }),
      401,
      "unauthorized",
    );
  });

  it("refuses an expiry in the past and an unknown role with field errors", async () => {
    const { organisationId, headers } = await setup();
    const past = await createKeyThroughApi(organisationId, headers, {
      name: "late",
      expires_at: new Date(Date.now() - 60_000).toISOString(),
    });
    expectError(past, 422);
    expect(JSON.stringify(past.body.error.details)).toContain("expires_at");
    const role = await createKeyThroughApi(organisationId, headers, { name: "odd", role: "OWNER" });
    expectError(role, 422);
    expect(JSON.stringify(role.body.error.details)).toContain("role");
  });

  it("records last use at most once a minute and lists role, expiry and last use", async () => {
    const { organisationId, headers } = await setup();
    const created = expectStatus(
      await createKeyThroughApi(organisationId, headers, { name: "poller", role: "READ_ONLY" }),
      201,
    );
    expect(created).toMatchObject({ last_used_at: null, expires_at: null });
    expectStatus(await call(projectsRoute.GET, "GET", "/api/v1/projects/", { apiKey: created.key }), 200);
    const first = (await prisma.apiKey.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt!;
    expect(first).toBeInstanceOf(Date);

    const thirtySecondsAgo = new Date(Date.now() - 30_000);
    await prisma.apiKey.update({ where: { id: created.id }, data: { lastUsedAt: thirtySecondsAgo } });
    expectStatus(await call(projectsRoute.GET, "GET", "/api/v1/projects/", { apiKey: created.key }), 200);
    expect((await prisma.apiKey.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt).toEqual(
      thirtySecondsAgo,
    );

    await prisma.apiKey.update({
      where: { id: created.id },
      data: { lastUsedAt: new Date(Date.now() - 120_000) },
    });
    expectStatus(await call(projectsRoute.GET, "GET", "/api/v1/projects/", { apiKey: created.key }), 200);
    const later = (await prisma.apiKey.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt!;
    expect(Date.now() - later.getTime()).toBeLessThan(10_000);

    const listed = expectStatus(
      await call(apiKeysRoute.GET, "GET", keysPath(organisationId), { headers, params: { organisationId } }),
      200,
    ).results;
    expect(listed.find((key: { id: number }) => key.id === created.id)).toEqual({
      id: created.id,
      name: "poller",
      prefix: created.prefix,
      role: "READ_ONLY",
      created_at: expect.any(String),
      expires_at: null,
      last_used_at: later.toISOString(),
      revoked_at: null,
    });
  });

  it("keeps keys made before roles existed working as organisation admins", async () => {
    const { organisation } = await seedOrganisation();
    const legacy = await prisma.apiKey.create({
      data: { organisationId: organisation.id, name: "old", prefix: "fp_legacy", keyHash: `h${Date.now()}` },
    });
    expect(legacy).toMatchObject({ role: "ADMIN", expiresAt: null });
    const { key, apiKey } = await createApiKey(organisation.id, "default");
    expect(apiKey.role).toBe("ADMIN");
    expectStatus(
      await call(projectsRoute.POST, "POST", "/api/v1/projects/", {
        apiKey: key,
        body: { name: `p ${Date.now()}` },
      }),
      201,
    );
  });
});
