import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEMO_SEARCH_ONLY_PROJECT_PATH, DEMO_TOKENS, type DemoSeed } from "@/tools/gitlab-sim/seed";
import { startGitLabSimulator, type GitLabSimulator } from "@/tools/gitlab-sim/server";
import { ACCESS_LEVEL } from "@/tools/gitlab-sim/types";
import { encryptSecret } from "@/lib/crypto/secret-box";
import { prisma } from "@/lib/db/client";
import { expectError, seedOrganisation, seedProjectMember, sessionHeaders } from "@/tests/support/api";
import { expectStatus } from "@/tests/support/flags";
import { browse, closedPort, createProject, gitlabApi } from "@/tests/support/gitlab";

// The browse endpoints: what the integration's token sees in GitLab, paged the Flagpost way.

let gl: GitLabSimulator;
let seed: DemoSeed;
let org: Awaited<ReturnType<typeof seedOrganisation>>;
let projectId: number;
let editor: { headers: Record<string, string> };

beforeAll(async () => {
  gl = await startGitLabSimulator({ port: 0 });
  seed = gl.sim.seedDemo();
  org = await seedOrganisation();
  projectId = (await createProject(org.organisation.id)).id;
  expectStatus(
    await gitlabApi.create({ apiKey: org.apiKey }, projectId, {
      gitlab_instance_url: gl.url,
      access_token: DEMO_TOKENS.maintainer,
      gitlab_project_id: seed.projectId,
    }),
    201,
  );
  editor = {
    headers: await sessionHeaders((await seedProjectMember(org.organisation.id, projectId, "EDITOR")).id),
  };
});
afterEach(() => gl.sim.clearFaults());
afterAll(() => gl.close());

describe("GitLab projects", () => {
  it("pages through the token's projects with absolute next/previous links", async () => {
    const first = expectStatus(await browse(editor, projectId, "projects", { page_size: 20 }), 200);
    expect(first).toMatchObject({
      count: seed.acmeProjectCount,
      next: `http://localhost:3000/api/v1/projects/${projectId}/gitlab/projects/?page_size=20&page=2`,
      previous: null,
      next_page: 2,
      previous_page: null,
      total_pages: 2,
    });
    expect(first.results).toHaveLength(20);
    expect(first.results[0]).toEqual({
      id: expect.any(Number),
      name: expect.any(String),
      path_with_namespace: expect.stringMatching(/^acme\//),
      web_url: expect.stringContaining(gl.url),
    });

    const second = expectStatus(await browse(editor, projectId, "projects", { page: 2, page_size: 20 }), 200);
    expect(second).toMatchObject({
      next: null,
      next_page: null,
      previous_page: 1,
      previous: expect.stringContaining("page=1"),
    });
    expect(
      second.results.map((project: { path_with_namespace: string }) => project.path_with_namespace),
    ).toContain(DEMO_SEARCH_ONLY_PROJECT_PATH);
    expect(
      first.results.map((project: { path_with_namespace: string }) => project.path_with_namespace),
    ).not.toContain(DEMO_SEARCH_ONLY_PROJECT_PATH);
  });

  it("searches by name, path and namespace on GitLab's side", async () => {
    const found = expectStatus(
      await browse(editor, projectId, "projects", { search: "checkout-service" }),
      200,
    );
    expect(found).toMatchObject({
      count: 1,
      next: null,
      results: [{ id: seed.searchOnlyProjectId, path_with_namespace: DEMO_SEARCH_ONLY_PROJECT_PATH }],
    });
    const byNamespace = expectStatus(
      await browse(editor, projectId, "projects", { search: "acme/billing" }),
      200,
    );
    expect(
      byNamespace.results
        .map((project: { path_with_namespace: string }) => project.path_with_namespace)
        .every((path: string) => path.startsWith("acme/billing/")),
    ).toBe(true);
  });
});

describe("issues and merge requests", () => {
  it("lists the linked project's open issues by default", async () => {
    const page = expectStatus(await browse(editor, projectId, "issues"), 200);
    expect(page.results.length).toBeGreaterThan(2);
    expect(page.results.every((issue: { state: string }) => issue.state === "opened")).toBe(true);
    expect(page.results.find((issue: { iid: number }) => issue.iid === 1)).toEqual({
      web_url: expect.stringContaining(`/${seed.projectPath}/-/issues/1`),
      id: expect.any(Number),
      iid: 1,
      project_id: seed.projectId,
      title: "Roll out the new checkout flow behind a flag",
      state: "opened",
      labels: ["backend", "feature"],
      author: {
        id: seed.users.alice,
        username: "alice",
        name: "Alice Maintainer",
        avatar_url: expect.any(String),
      },
      updated_at: expect.any(String),
      confidential: false,
    });
  });

  it("filters by state and finds items by #iid, plain number or text", async () => {
    const closed = expectStatus(await browse(editor, projectId, "issues", { state: "closed" }), 200);
    expect(closed.results.map((issue: { title: string }) => issue.title)).toContain(
      "Remove the legacy pricing flag",
    );
    expect(closed.results.every((issue: { state: string }) => issue.state === "closed")).toBe(true);
    for (const text of ["#2", "2"]) {
      const byNumber = expectStatus(
        await browse(editor, projectId, "issues", { search_text: text, state: "all" }),
        200,
      );
      expect(byNumber.results.map((issue: { iid: number }) => issue.iid)).toEqual([2]);
    }
    expect(gl.sim.requests().at(-1)?.query).toMatchObject({ "iids[]": "2" });
    const byText = expectStatus(
      await browse(editor, projectId, "issues", { search_text: "audit trail" }),
      200,
    );
    expect(byText.results.map((issue: { title: string }) => issue.title)).toEqual([
      "Add audit trail for flag toggles",
    ]);
  });

  it("pages issues of another project named by gitlab_project_id", async () => {
    for (let i = 0; i < 5; i++)
      gl.sim.createIssue(seed.searchOnlyProjectId, {
        title: `Checkout task ${i}`,
        author_id: seed.users.bob,
      });
    const second = expectStatus(
      await browse(editor, projectId, "issues", {
        gitlab_project_id: seed.searchOnlyProjectId,
        page: 2,
        page_size: 2,
      }),
      200,
    );
    expect(second).toMatchObject({ count: 6, total_pages: 3, next_page: 3, previous_page: 1 });
    expect(second.next).toBe(
      `http://localhost:3000/api/v1/projects/${projectId}/gitlab/issues/?gitlab_project_id=${seed.searchOnlyProjectId}&page=3&page_size=2`,
    );
    expect(second.results).toHaveLength(2);
  });

  it("searches another project named by its path (as in group/project#12), resolved through GitLab", async () => {
    const found = expectStatus(
      await browse(editor, projectId, "issues", {
        gitlab_project_path: DEMO_SEARCH_ONLY_PROJECT_PATH,
        search_text: "double-submits",
      }),
      200,
    );
    expect(found.results).toEqual([
      expect.objectContaining({
        iid: 1,
        project_id: seed.searchOnlyProjectId,
        title: "Checkout button double-submits",
        web_url: expect.stringContaining(`/${DEMO_SEARCH_ONLY_PROJECT_PATH}/-/issues/1`),
      }),
    ]);
    expect(gl.sim.requests().map((request) => request.path)).toEqual(
      expect.arrayContaining([
        `/projects/${encodeURIComponent(DEMO_SEARCH_ONLY_PROJECT_PATH)}`,
        `/projects/${seed.searchOnlyProjectId}/issues`,
      ]),
    );
    const byNumber = expectStatus(
      await browse(editor, projectId, "merge-requests", {
        gitlab_project_path: DEMO_SEARCH_ONLY_PROJECT_PATH,
        search_text: "!1",
        state: "all",
      }),
      200,
    );
    expect(byNumber.results).toEqual([]);

    // A project the token cannot see, a malformed path, or both ways of naming a project: refused.
    expectError(
      await browse(editor, projectId, "issues", { gitlab_project_path: "globex/secret-plans" }),
      400,
      "bad_request",
    );
    expectError(await browse(editor, projectId, "issues", { gitlab_project_path: "no-slash" }), 400);
    expectError(
      await browse(editor, projectId, "issues", {
        gitlab_project_path: DEMO_SEARCH_ONLY_PROJECT_PATH,
        gitlab_project_id: seed.projectId,
      }),
      400,
      "bad_request",
    );
  });

  it("lists merge requests with merged and draft, including merged ones and !iid search", async () => {
    const merged = expectStatus(await browse(editor, projectId, "merge-requests", { state: "merged" }), 200);
    expect(merged.results).toEqual([
      expect.objectContaining({
        title: "Introduce the feature flag SDK",
        state: "merged",
        merged: true,
        draft: false,
      }),
    ]);
    const open = expectStatus(await browse(editor, projectId, "merge-requests"), 200);
    expect(open.results.find((mr: { draft: boolean }) => mr.draft)).toMatchObject({
      state: "opened",
      merged: false,
    });
    const byNumber = expectStatus(
      await browse(editor, projectId, "merge-requests", { search_text: "!1", state: "all" }),
      200,
    );
    expect(byNumber.results.map((mr: { iid: number }) => mr.iid)).toEqual([1]);
  });

  it("lists the project's members, searchable", async () => {
    const all = expectStatus(await browse(editor, projectId, "project-members"), 200);
    expect(all.results).toEqual(
      expect.arrayContaining([
        {
          id: seed.users.carol,
          username: "carol",
          name: "Carol Reporter",
          avatar_url: expect.any(String),
          access_level: ACCESS_LEVEL.reporter,
        },
      ]),
    );
    const bob = expectStatus(await browse(editor, projectId, "project-members", { search: "bob" }), 200);
    expect(bob.results.map((member: { username: string }) => member.username)).toEqual(["bob"]);
  });
});

describe("when browsing cannot work", () => {
  it("needs an integration, and a GitLab project when none is linked", async () => {
    const bare = await createProject(org.organisation.id);
    const none = await browse({ apiKey: org.apiKey }, bare.id, "issues");
    expectError(none, 400, "bad_request");
    expect(none.body.error.message).toBe("This project has no GitLab integration");
    expectStatus(
      await gitlabApi.create({ apiKey: org.apiKey }, bare.id, {
        gitlab_instance_url: gl.url,
        access_token: DEMO_TOKENS.maintainer,
      }),
      201,
    );
    const unlinked = await browse({ apiKey: org.apiKey }, bare.id, "merge-requests");
    expectError(unlinked, 400);
    expect(unlinked.body.error.message).toMatch(/gitlab_project_id/);
    expectStatus(
      await browse({ apiKey: org.apiKey }, bare.id, "issues", { gitlab_project_id: seed.projectId }),
      200,
    );
  });

  it("is for editors: viewers are refused", async () => {
    const viewer = {
      headers: await sessionHeaders((await seedProjectMember(org.organisation.id, projectId, "VIEWER")).id),
    };
    expectError(await browse(viewer, projectId, "projects"), 403, "forbidden");
    expectError(await browse(viewer, projectId, "issues"), 403, "forbidden");
  });

  it("answers 502 with a message to show when GitLab fails or cannot be reached", async () => {
    gl.sim.injectFault({ status: 500, pathPattern: "^/projects$" });
    const failing = await browse(editor, projectId, "projects");
    expectError(failing, 502, "bad_gateway");
    expect(failing.body.error.message).toMatch(/GitLab failed/);

    const offline = await createProject(org.organisation.id);
    await prisma.gitLabIntegration.create({
      data: {
        projectId: offline.id,
        liveProjectId: offline.id,
        instanceUrl: `http://127.0.0.1:${await closedPort()}`,
        encryptedToken: encryptSecret(DEMO_TOKENS.maintainer),
        encryptedWebhookSecret: encryptSecret("secret"),
        gitlabProjectId: seed.projectId,
      },
    });
    const unreachable = await browse({ apiKey: org.apiKey }, offline.id, "issues");
    expectError(unreachable, 502, "bad_gateway");
    expect(unreachable.body.error.message).toMatch(/could not be reached/);
  });

  it("answers 503 with Retry-After while GitLab rate-limits", async () => {
    gl.sim.injectFault({ status: 429, retryAfter: 30, pathPattern: "/issues$" });
    const limited = await browse(editor, projectId, "issues");
    expectError(limited, 503, "service_unavailable");
    expect(limited.headers.get("retry-after")).toBe("30");
  });

  it("marks the token invalid when GitLab rejects it, so the settings page can say so", async () => {
    const project = await createProject(org.organisation.id);
    const token = gl.sim.createToken({
      name: "short-lived",
      scopes: ["api"],
      projects: [{ id: seed.projectId, access_level: ACCESS_LEVEL.developer }],
    });
    const created = expectStatus(
      await gitlabApi.create({ apiKey: org.apiKey }, project.id, {
        gitlab_instance_url: gl.url,
        access_token: token.value,
        gitlab_project_id: seed.projectId,
      }),
      201,
    );
    gl.sim.revokeToken(token.value);
    const rejected = await browse({ apiKey: org.apiKey }, project.id, "issues");
    expectError(rejected, 400);
    expect(rejected.body.error.message).toMatch(/was revoked/);
    const config = expectStatus(await gitlabApi.get({ apiKey: org.apiKey }, project.id, created.id), 200);
    expect(config.token).toMatchObject({ status: "INVALID", status_reason: expect.stringMatching(/401/) });

    // Rotating the token makes it valid again.
    const rotated = expectStatus(
      await gitlabApi.update({ apiKey: org.apiKey }, project.id, created.id, {
        access_token: DEMO_TOKENS.maintainer,
      }),
      200,
    );
    expect(rotated.token).toMatchObject({ status: "VALID", status_reason: null });
  });
});
