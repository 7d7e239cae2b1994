import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_TOKENS, type DemoSeed } from "@/tools/gitlab-sim/seed";
import { startGitLabSimulator, type GitLabSimulator } from "@/tools/gitlab-sim/server";
import { ACCESS_LEVEL } from "@/tools/gitlab-sim/types";
import { prisma } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { GITLAB_TAG_COLOR } from "@/lib/gitlab/links/system-tags";
import { expectError, seedOrganisation, seedProjectMember, sessionHeaders } from "@/tests/support/api";
import { expectStatus } from "@/tests/support/flags";
import { closedPort, createProject, gitlabApi, htmlServer } from "@/tests/support/gitlab";

let gl: GitLabSimulator;
let seed: DemoSeed;
let org: Awaited<ReturnType<typeof seedOrganisation>>;
let admin: { apiKey: string };

beforeAll(async () => {
  gl = await startGitLabSimulator({ port: 0 });
  seed = gl.sim.seedDemo();
  org = await seedOrganisation();
  admin = { apiKey: org.apiKey };
});
afterAll(() => gl.close());

const connect = (extra: Record<string, unknown> = {}) => ({
  gitlab_instance_url: gl.url,
  access_token: DEMO_TOKENS.maintainer,
  ...extra,
});

describe("creating, reading, changing and deleting the GitLab integration", () => {
  it("connects, checking the token and project with GitLab, and creates the six tags", async () => {
    const project = await createProject(org.organisation.id);
    const created = expectStatus(
      await gitlabApi.create(
        admin,
        project.id,
        connect({
          gitlab_instance_url: `${gl.url}/`,
          gitlab_project_id: seed.projectId,
          project_name: "not/this",
          tagging_enabled: true,
        }),
      ),
      201,
    );
    expect(created).toMatchObject({
      project: project.id,
      gitlab_instance_url: gl.url,
      gitlab_project_id: seed.projectId,
      project_name: seed.projectPath,
      tagging_enabled: true,
      comment_style: "STATUS_NOTE",
      webhook_url: `http://localhost:3000/api/v1/gitlab-webhook/${project.id}/`,
      webhook_registered: false,
      can_manage_webhooks: true,
      gitlab_access_level: ACCESS_LEVEL.maintainer,
      linked_items_count: 0,
      token: {
        name: "Flagpost",
        scopes: ["api"],
        expires_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        expires_soon: false,
        user: { id: expect.any(Number), username: seed.botUsernames.maintainer, bot: true },
        status: "VALID",
        status_reason: null,
      },
    });
    expect(created.webhook_secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(created).not.toHaveProperty("access_token");

    const tags = await prisma.tag.findMany({ where: { projectId: project.id }, orderBy: { id: "asc" } });
    expect(tags.map((tag) => tag.label)).toEqual([
      "Issue Open",
      "Issue Closed",
      "MR Open",
      "MR Draft",
      "MR Merged",
      "MR Closed",
    ]);
    expect(
      tags.every(
        (tag) =>
          tag.type === "GITLAB" &&
          tag.isSystemTag &&
          tag.color === GITLAB_TAG_COLOR &&
          tag.description.length > 10,
      ),
    ).toBe(true);

    const list = expectStatus(await gitlabApi.list(admin, project.id), 200);
    expect(list).toEqual({ results: [created] });
    expect(expectStatus(await gitlabApi.get(admin, project.id, created.id), 200)).toEqual(created);

    const audit = await prisma.auditLog.findMany({
      where: { projectId: project.id, entityType: "gitlab_integration" },
    });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "CREATE", summary: expect.stringContaining(seed.projectPath) });
  });

  it("keeps a given webhook secret and leaves tags alone while tagging is off, until it is turned on", async () => {
    const project = await createProject(org.organisation.id);
    const created = expectStatus(
      await gitlabApi.create(admin, project.id, connect({ webhook_secret: "my own shared secret" })),
      201,
    );
    expect(created).toMatchObject({
      webhook_secret: "my own shared secret",
      tagging_enabled: false,
      gitlab_project_id: null,
      project_name: null,
      can_manage_webhooks: false,
    });
    expect(await prisma.tag.count({ where: { projectId: project.id } })).toBe(0);

    const updated = expectStatus(
      await gitlabApi.update(admin, project.id, created.id, {
        tagging_enabled: true,
        comment_style: "PER_CHANGE",
        gitlab_project_id: seed.projectId,
      }),
      200,
    );
    expect(updated).toMatchObject({
      tagging_enabled: true,
      comment_style: "PER_CHANGE",
      project_name: seed.projectPath,
    });
    expect(
      await prisma.tag.count({ where: { projectId: project.id, type: "GITLAB", isSystemTag: true } }),
    ).toBe(6);
    // Turning it off and on again does not duplicate them.
    expectStatus(await gitlabApi.update(admin, project.id, created.id, { tagging_enabled: false }), 200);
    expectStatus(await gitlabApi.update(admin, project.id, created.id, { tagging_enabled: true }), 200);
    expect(await prisma.tag.count({ where: { projectId: project.id } })).toBe(6);

    const audit = await prisma.auditLog.findMany({
      where: { projectId: project.id, action: "UPDATE" },
      orderBy: { id: "asc" },
    });
    expect(audit[0]!.changes).toMatchObject({
      tagging_enabled: { from: false, to: true },
      comment_style: { from: "STATUS_NOTE", to: "PER_CHANGE" },
      project_name: { from: null, to: seed.projectPath },
    });
  });

  it("rotates the token after checking the new one, and refuses a bad one without changing anything", async () => {
    const project = await createProject(org.organisation.id);
    const created = expectStatus(
      await gitlabApi.create(admin, project.id, connect({ gitlab_project_id: seed.projectId })),
      201,
    );

    const refused = await gitlabApi.update(admin, project.id, created.id, {
      access_token: DEMO_TOKENS.expired,
    });
    expectError(refused, 400, "bad_request");
    expect(refused.body.error.details).toEqual({ reason: "expired_token", field: "access_token" });
    expect(expectStatus(await gitlabApi.get(admin, project.id, created.id), 200)).toEqual(created);

    const rotated = expectStatus(
      await gitlabApi.update(admin, project.id, created.id, { access_token: DEMO_TOKENS.reporter }),
      200,
    );
    expect(rotated.token).toMatchObject({
      name: "Flagpost reporter",
      user: { username: seed.botUsernames.reporter },
      status: "VALID",
    });
    expect(rotated).toMatchObject({
      can_manage_webhooks: false,
      gitlab_access_level: ACCESS_LEVEL.reporter,
      webhook_secret: created.webhook_secret,
    });

    // A new token must still see the linked project.
    const other = gl.sim.createToken({
      name: "elsewhere",
      scopes: ["api"],
      projects: [{ id: seed.publicProjectId, access_level: ACCESS_LEVEL.developer }],
    });
    const blind = await gitlabApi.update(admin, project.id, created.id, {
      access_token: other.value,
      gitlab_project_id: seed.privateProjectId,
    });
    expect(blind.body.error.details).toMatchObject({ reason: "project_not_found" });

    const audit = await prisma.auditLog.findFirst({ where: { projectId: project.id, action: "UPDATE" } });
    expect(audit).toMatchObject({ summary: expect.stringContaining("Rotated the access token") });
    expect(audit!.changes).toMatchObject({
      token_name: { from: "Flagpost", to: "Flagpost reporter" },
      access_token: { from: "[previous token]", to: "[new token]" },
    });
  });

  it("refuses to send the stored token to another instance", async () => {
    const project = await createProject(org.organisation.id);
    const created = expectStatus(await gitlabApi.create(admin, project.id, connect()), 201);
    gl.sim.clearRequests();
    const moved = await gitlabApi.update(admin, project.id, created.id, {
      gitlab_instance_url: "https://gitlab.example.com",
    });
    expectError(moved, 400);
    expect(moved.body.error.details).toEqual({ reason: "token_required", field: "access_token" });
    expect(gl.sim.requests()).toEqual([]);
    expect(expectStatus(await gitlabApi.get(admin, project.id, created.id), 200).gitlab_instance_url).toBe(
      gl.url,
    );
  });

  it("deletes: removes its webhook, the linked items and their tags; connecting again works", async () => {
    const project = await createProject(org.organisation.id);
    const created = expectStatus(
      await gitlabApi.create(
        admin,
        project.id,
        connect({ gitlab_project_id: seed.projectId, tagging_enabled: true }),
      ),
      201,
    );
    const registered = expectStatus(await gitlabApi.registerWebhook(admin, project.id, created.id), 201);
    expect(registered.webhook_registered).toBe(true);
    expect(gl.sim.hooks(seed.projectId)).toHaveLength(1);

    const feature = await prisma.feature.create({ data: { projectId: project.id, name: "new_checkout" } });
    await prisma.externalResource.create({
      data: {
        featureId: feature.id,
        type: "GITLAB_ISSUE",
        url: `${gl.url}/${seed.projectPath}/-/issues/1`,
        gitlabProjectId: seed.projectId,
        gitlabProjectPath: seed.projectPath,
        iid: 1,
      },
    });
    const issueOpen = await prisma.tag.findFirstOrThrow({
      where: { projectId: project.id, label: "Issue Open" },
    });
    const userTag = await prisma.tag.create({ data: { projectId: project.id, label: "checkout" } });
    await prisma.featureTag.createMany({
      data: [
        { featureId: feature.id, tagId: issueOpen.id },
        { featureId: feature.id, tagId: userTag.id },
      ],
    });
    expect(expectStatus(await gitlabApi.get(admin, project.id, created.id), 200).linked_items_count).toBe(1);

    expect((await gitlabApi.remove(admin, project.id, created.id)).status).toBe(204);
    expect(gl.sim.hooks(seed.projectId)).toEqual([]);
    expect(await prisma.externalResource.count({ where: { featureId: feature.id } })).toBe(0);
    expect(
      (await prisma.featureTag.findMany({ where: { featureId: feature.id } })).map((row) => row.tagId),
    ).toEqual([userTag.id]);
    const row = await prisma.gitLabIntegration.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({
      liveProjectId: null,
      gitlabHookId: null,
      encryptedToken: "",
      encryptedWebhookSecret: "",
    });
    expect(row.deletedAt).toBeInstanceOf(Date);
    expect(expectStatus(await gitlabApi.list(admin, project.id), 200)).toEqual({ results: [] });
    expectError(await gitlabApi.get(admin, project.id, created.id), 404, "not_found");
    const audit = await prisma.auditLog.findFirstOrThrow({
      where: { projectId: project.id, action: "DELETE", entityType: "gitlab_integration" },
    });
    expect(audit.summary).toMatch(/removed 1 linked GitLab item/);

    const again = expectStatus(
      await gitlabApi.create(admin, project.id, connect({ gitlab_project_id: seed.projectId })),
      201,
    );
    expect(again.id).not.toBe(created.id);
    expect(
      expectStatus(await gitlabApi.list(admin, project.id), 200).results.map(
        (config: { id: number }) => config.id,
      ),
    ).toEqual([again.id]);
  });

  it("still deletes when GitLab cannot remove the webhook", async () => {
    const project = await createProject(org.organisation.id);
    const created = expectStatus(
      await gitlabApi.create(admin, project.id, connect({ gitlab_project_id: seed.projectId })),
      201,
    );
    expectStatus(await gitlabApi.registerWebhook(admin, project.id, created.id), 201);
    gl.sim.injectFault({ status: 500, method: "DELETE", pathPattern: "/hooks/" });
    expect((await gitlabApi.remove(admin, project.id, created.id)).status).toBe(204);
    const audit = await prisma.auditLog.findFirstOrThrow({
      where: { projectId: project.id, action: "DELETE" },
    });
    expect(audit.summary).toMatch(/could not be removed/);
    // The hook GitLab kept; the next tests expect none.
    for (const hook of gl.sim.hooks(seed.projectId)) gl.sim.store.hooks.delete(hook.id);
  });

  it("answers 409 for a second live integration and saves nothing more", async () => {
    const project = await createProject(org.organisation.id);
    expectStatus(await gitlabApi.create(admin, project.id, connect()), 201);
    gl.sim.clearRequests();
    const duplicate = await gitlabApi.create(admin, project.id, connect());
    expectError(duplicate, 409, "conflict");
    expect(duplicate.body.error.message).toMatch(/already has a GitLab integration/);
    expect(gl.sim.requests()).toEqual([]);
    expect(await prisma.gitLabIntegration.count({ where: { projectId: project.id } })).toBe(1);
  });

  it("validates the body: a token is required", async () => {
    const project = await createProject(org.organisation.id);
    const invalid = await gitlabApi.create(admin, project.id, { gitlab_instance_url: gl.url });
    expectError(invalid, 422, "unprocessable_entity");
    expect(invalid.body.error.details).toEqual([
      { field: "body.access_token", issue: "Access token is required" },
    ]);
  });
});

describe("a webhook secret someone chooses", () => {
  it("must be at least 16 characters, on create and on update (422 naming the field), and is kept when long enough", async () => {
    const project = await createProject(org.organisation.id);
    const short = await gitlabApi.create(admin, project.id, connect({ webhook_secret: "fifteen chars!!" }));
    expectError(short, 422, "unprocessable_entity");
    expect(short.body.error.details).toEqual([
      { field: "body.webhook_secret", issue: expect.stringMatching(/at least 16 characters/) },
    ]);
    expect(await prisma.gitLabIntegration.count({ where: { projectId: project.id } })).toBe(0);

    const created = expectStatus(
      await gitlabApi.create(admin, project.id, connect({ webhook_secret: "sixteen chars!!!" })),
      201,
    );
    expect(created.webhook_secret).toBe("sixteen chars!!!");

    const tooShort = await gitlabApi.update(admin, project.id, created.id, {
      webhook_secret: "   short    ",
    });
    expectError(tooShort, 422, "unprocessable_entity");
    expect(tooShort.body.error.details).toEqual([
      { field: "body.webhook_secret", issue: expect.stringMatching(/at least 16 characters/) },
    ]);
    expect(expectStatus(await gitlabApi.get(admin, project.id, created.id), 200).webhook_secret).toBe(
      "sixteen chars!!!",
    );
  });
});

describe("refusing connections that cannot work, saving nothing", () => {
  async function refused(body: Record<string, unknown>) {
    const project = await createProject(org.organisation.id);
    const result = await gitlabApi.create(admin, project.id, body);
    expectError(result, 400, "bad_request");
    expect(await prisma.gitLabIntegration.count({ where: { projectId: project.id } })).toBe(0);
    expect(await prisma.tag.count({ where: { projectId: project.id } })).toBe(0);
    expect(await prisma.auditLog.count({ where: { projectId: project.id } })).toBe(0);
    return result.body.error as { message: string; details: { reason: string; field: string } };
  }

  it("a URL that is not http(s)", async () => {
    const error = await refused(connect({ gitlab_instance_url: "ftp://gitlab.example.com" }));
    expect(error).toMatchObject({
      details: { reason: "invalid_url", field: "gitlab_instance_url" },
      message: expect.stringMatching(/http or https/),
    });
  });

  it("a host nothing listens on", async () => {
    const error = await refused(connect({ gitlab_instance_url: `http://127.0.0.1:${await closedPort()}` }));
    expect(error).toMatchObject({
      details: { reason: "unreachable" },
      message: expect.stringMatching(/could not be reached/),
    });
  });

  it("a web server that is not GitLab, and a path with no API under it", async () => {
    const intranet = await htmlServer();
    try {
      expect((await refused(connect({ gitlab_instance_url: intranet.url }))).details.reason).toBe(
        "not_gitlab",
      );
    } finally {
      await intranet.close();
    }
    const missing = await htmlServer(404);
    try {
      expect((await refused(connect({ gitlab_instance_url: missing.url }))).details.reason).toBe(
        "not_gitlab",
      );
    } finally {
      await missing.close();
    }
    expect((await refused(connect({ gitlab_instance_url: `${gl.url}/_sim` }))).details.reason).toBe(
      "not_gitlab",
    );
  });

  it("a wrong, expired or revoked token, or one without the api scope", async () => {
    expect((await refused(connect({ access_token: "glpat-not-a-real-token" }))).details).toEqual({
      reason: "bad_token",
      field: "access_token",
    });
    expect((await refused(connect({ access_token: DEMO_TOKENS.expired }))).details.reason).toBe(
      "expired_token",
    );
    const revoked = gl.sim.createToken({
      name: "revoked",
      scopes: ["api"],
      revoked: true,
      projects: [{ id: seed.projectId, access_level: ACCESS_LEVEL.developer }],
    });
    expect((await refused(connect({ access_token: revoked.value }))).details.reason).toBe("revoked_token");
    const scope = await refused(connect({ access_token: DEMO_TOKENS.readonly }));
    expect(scope).toMatchObject({
      details: { reason: "missing_scope" },
      message: expect.stringMatching(/api scope/),
    });
  });

  it("a loopback GitLab while private networks are not allowed", async () => {
    process.env.GITLAB_ALLOW_PRIVATE_NETWORK = "false";
    resetEnvForTests();
    try {
      const error = await refused(connect());
      expect(error).toMatchObject({
        details: { reason: "private_address", field: "gitlab_instance_url" },
        message: expect.stringMatching(/GITLAB_ALLOW_PRIVATE_NETWORK/),
      });
    } finally {
      process.env.GITLAB_ALLOW_PRIVATE_NETWORK = "true";
      resetEnvForTests();
    }
  });

  it("a GitLab project the token cannot see", async () => {
    const error = await refused(connect({ gitlab_project_id: seed.privateProjectId }));
    expect(error.details).toEqual({ reason: "project_not_found", field: "gitlab_project_id" });
  });
});

describe("the webhook Flagpost registers", () => {
  it("is created on the linked project with the integration's URL and secret, once, and removed on request", async () => {
    const project = await createProject(org.organisation.id);
    const created = expectStatus(
      await gitlabApi.create(admin, project.id, connect({ gitlab_project_id: seed.projectId })),
      201,
    );
    const registered = expectStatus(await gitlabApi.registerWebhook(admin, project.id, created.id), 201);
    expect(registered.webhook_registered).toBe(true);
    const [hook] = gl.sim.hooks(seed.projectId);
    expect(hook).toMatchObject({
      url: created.webhook_url,
      token: created.webhook_secret,
      issues_events: true,
      confidential_issues_events: true,
      merge_requests_events: true,
      push_events: false,
      // The public URL is http here, so there is no certificate to verify.
      enable_ssl_verification: false,
    });
    expectError(await gitlabApi.registerWebhook(admin, project.id, created.id), 409, "conflict");

    // Changing the secret keeps the registered hook in step.
    expectStatus(
      await gitlabApi.update(admin, project.id, created.id, { webhook_secret: "a new shared secret" }),
      200,
    );
    expect(gl.sim.hooks(seed.projectId)[0]!.token).toBe("a new shared secret");

    expect((await gitlabApi.removeWebhook(admin, project.id, created.id)).status).toBe(204);
    expect(gl.sim.hooks(seed.projectId)).toEqual([]);
    expect(expectStatus(await gitlabApi.get(admin, project.id, created.id), 200).webhook_registered).toBe(
      false,
    );
    expectError(await gitlabApi.removeWebhook(admin, project.id, created.id), 404);
    await gitlabApi.remove(admin, project.id, created.id);
  });

  it("moves off the project it was on when another GitLab project is linked", async () => {
    const project = await createProject(org.organisation.id);
    const created = expectStatus(
      await gitlabApi.create(admin, project.id, connect({ gitlab_project_id: seed.projectId })),
      201,
    );
    expectStatus(await gitlabApi.registerWebhook(admin, project.id, created.id), 201);
    const moved = expectStatus(
      await gitlabApi.update(admin, project.id, created.id, { gitlab_project_id: seed.searchOnlyProjectId }),
      200,
    );
    expect(moved).toMatchObject({
      gitlab_project_id: seed.searchOnlyProjectId,
      webhook_registered: false,
      can_manage_webhooks: true,
    });
    expect(gl.sim.hooks(seed.projectId)).toEqual([]);
    const audit = await prisma.auditLog.findFirstOrThrow({
      where: { projectId: project.id, action: "UPDATE", summary: { contains: "previous project" } },
    });
    expect(audit.summary).toMatch(/removed the webhook from the previous project/);
  });

  it("tells the user to add it by hand when the token is below Maintainer", async () => {
    const project = await createProject(org.organisation.id);
    const created = expectStatus(
      await gitlabApi.create(
        admin,
        project.id,
        connect({ access_token: DEMO_TOKENS.reporter, gitlab_project_id: seed.projectId }),
      ),
      201,
    );
    expect(created.can_manage_webhooks).toBe(false);
    const refused = await gitlabApi.registerWebhook(admin, project.id, created.id);
    expectError(refused, 400, "bad_request");
    expect(refused.body.error).toMatchObject({
      message: expect.stringMatching(/Maintainer.*by hand/s),
      details: { reason: "insufficient_role" },
    });
    expect(gl.sim.hooks(seed.projectId)).toEqual([]);
  });

  it("needs a linked project", async () => {
    const project = await createProject(org.organisation.id);
    const created = expectStatus(await gitlabApi.create(admin, project.id, connect()), 201);
    const refused = await gitlabApi.registerWebhook(admin, project.id, created.id);
    expectError(refused, 400);
    expect(refused.body.error.message).toMatch(/Link a GitLab project/);
  });
});

describe("who may do what", () => {
  it("lets viewers and editors read the configuration without its secret, and only admins change it", async () => {
    const project = await createProject(org.organisation.id);
    const created = expectStatus(
      await gitlabApi.create(admin, project.id, connect({ gitlab_project_id: seed.projectId })),
      201,
    );
    for (const role of ["VIEWER", "EDITOR"] as const) {
      const member = {
        headers: await sessionHeaders((await seedProjectMember(org.organisation.id, project.id, role)).id),
      };
      const read = expectStatus(await gitlabApi.get(member, project.id, created.id), 200);
      expect(read).toMatchObject({ id: created.id, webhook_secret: null, webhook_url: created.webhook_url });
      expect(
        expectStatus(await gitlabApi.list(member, project.id), 200).results[0].webhook_secret,
      ).toBeNull();
      expectError(await gitlabApi.create(member, project.id, connect()), 403, "forbidden");
      expectError(
        await gitlabApi.update(member, project.id, created.id, { tagging_enabled: true }),
        403,
        "forbidden",
      );
      expectError(await gitlabApi.registerWebhook(member, project.id, created.id), 403, "forbidden");
      expectError(await gitlabApi.removeWebhook(member, project.id, created.id), 403, "forbidden");
      expectError(await gitlabApi.remove(member, project.id, created.id), 403, "forbidden");
    }
    const sessionAdmin = { headers: await sessionHeaders(org.admin.id) };
    expect(expectStatus(await gitlabApi.get(sessionAdmin, project.id, created.id), 200).webhook_secret).toBe(
      created.webhook_secret,
    );
    expect(expectStatus(await gitlabApi.get(admin, project.id, created.id), 200).tagging_enabled).toBe(false);
  });

  it("hides another organisation's project", async () => {
    const project = await createProject(org.organisation.id);
    const other = await seedOrganisation();
    expectError(await gitlabApi.list({ apiKey: other.apiKey }, project.id), 404);
    expectError(await gitlabApi.create({ apiKey: other.apiKey }, project.id, connect()), 404);
  });
});
