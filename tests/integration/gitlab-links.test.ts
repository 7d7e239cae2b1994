import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as featuresRoute from "@/app/api/v1/projects/[projectId]/features/route";
import {
  DEMO_PRIVATE_PROJECT_PATH,
  DEMO_PROJECT_PATH,
  DEMO_SEARCH_ONLY_PROJECT_PATH,
  type DemoSeed,
} from "@/tools/gitlab-sim/seed";
import { startGitLabSimulator, type GitLabSimulator } from "@/tools/gitlab-sim/server";
import { prisma } from "@/lib/db/client";
import { call, expectError, seedProjectMember, sessionHeaders } from "@/tests/support/api";
import { expectStatus } from "@/tests/support/flags";
import { createProject } from "@/tests/support/gitlab";
import { connectedProject, linksApi, tagLabels, type LinkedProject } from "@/tests/support/gitlab-links";

// Linking GitLab issues and merge requests to a feature through the API, against the simulator:
// every form a person may paste, what is refused and why, permissions, races, audit and tags.

let gl: GitLabSimulator;
let seed: DemoSeed;
let p: LinkedProject;
let admin: { apiKey: string };
let web: string;

beforeAll(async () => {
  gl = await startGitLabSimulator({ port: 0 });
  seed = gl.sim.seedDemo();
  p = await connectedProject(gl, seed);
  admin = { apiKey: p.apiKey };
  web = `${gl.url}/${DEMO_PROJECT_PATH}`;
});
afterEach(async () => {
  gl.sim.clearFaults();
  gl.sim.clearRequests();
  await prisma.externalResource.deleteMany({ where: { featureId: p.featureId } });
  await prisma.featureTag.deleteMany({ where: { featureId: p.featureId } });
});
afterAll(() => gl.close());

const link = (
  url: string,
  type: "GITLAB_ISSUE" | "GITLAB_MR",
  auth: Parameters<typeof linksApi.link>[0] = admin,
  featureId = p.featureId,
) => linksApi.link(auth, p.projectId, featureId, { url, type });

describe("linking by URL or reference", () => {
  it("links an issue by its URL and answers the contract's shape with GitLab's metadata", async () => {
    const body = expectStatus(await link(`${web}/-/issues/1`, "GITLAB_ISSUE"), 201);
    expect(body).toEqual({
      id: expect.any(Number),
      url: `${web}/-/issues/1`,
      type: "GITLAB_ISSUE",
      feature: p.featureId,
      is_cleanup_issue: false,
      metadata: {
        title: "Roll out the new checkout flow behind a flag",
        state: "opened",
        draft: false,
        merged: false,
        labels: ["backend", "feature"],
        assignees: [
          { id: seed.users.bob, username: "bob", name: "Bob Developer", avatar_url: expect.any(String) },
        ],
        author: {
          id: seed.users.alice,
          username: "alice",
          name: "Alice Maintainer",
          avatar_url: expect.any(String),
        },
        updated_at: expect.any(String),
        closed_at: null,
        reference: "#1",
        project_path: DEMO_PROJECT_PATH,
        gitlab_project_id: seed.projectId,
        iid: 1,
        refreshed_at: expect.any(String),
        stale: false,
        unavailable: false,
      },
      created_at: expect.any(String),
    });
    const stored = await prisma.externalResource.findUniqueOrThrow({ where: { id: body.id } });
    expect(stored).toMatchObject({
      gitlabProjectId: seed.projectId,
      gitlabProjectPath: DEMO_PROJECT_PATH,
      iid: 1,
      type: "GITLAB_ISSUE",
    });
  });

  it.each([
    // GitLab's own web_url for a task is a work item URL, and for an incident …/issues/incident/N.
    [
      "a work item URL (same numbers as issues)",
      (): string => `${web}/-/work_items/3`,
      "GITLAB_ISSUE",
      3,
      "work_items",
    ],
    ["a legacy issue URL", (): string => `${web}/issues/6`, "GITLAB_ISSUE", 6, "issues"],
    ["#N in the linked project", (): string => "#7", "GITLAB_ISSUE", 7, "issues"],
    ["!N in the linked project", (): string => "!1", "GITLAB_MR", 1, "merge_requests"],
    ["group/project#N", (): string => `${DEMO_PROJECT_PATH}#5`, "GITLAB_ISSUE", 5, "issues/incident"],
    [
      "an MR URL with a trailing slash, query and note fragment",
      (): string => `${web}/-/merge_requests/2/?view=inline#note_123`,
      "GITLAB_MR",
      2,
      "merge_requests",
    ],
    ["a legacy MR URL", (): string => `${web}/merge_requests/4`, "GITLAB_MR", 4, "merge_requests"],
  ] as const)("links %s and stores GitLab's canonical URL", async (_name, input, type, iid, route) => {
    const body = expectStatus(await link(input(), type), 201);
    expect(body).toMatchObject({
      type,
      url: `${web}/-/${route}/${iid}`,
      metadata: { iid, project_path: DEMO_PROJECT_PATH },
    });
  });

  it("resolves another GitLab project's path to its numeric id through the API", async () => {
    const body = expectStatus(
      await link(`${gl.url}/${DEMO_SEARCH_ONLY_PROJECT_PATH}/-/issues/1`, "GITLAB_ISSUE"),
      201,
    );
    expect(body.metadata).toMatchObject({
      gitlab_project_id: seed.searchOnlyProjectId,
      project_path: DEMO_SEARCH_ONLY_PROJECT_PATH,
      title: "Checkout button double-submits",
    });
    expect(gl.sim.requests().map((request) => `${request.method} ${request.path}`)).toEqual([
      `GET /projects/${encodeURIComponent(DEMO_SEARCH_ONLY_PROJECT_PATH)}`,
      `GET /projects/${seed.searchOnlyProjectId}/issues/1`,
    ]);
  });

  it("answers the newest link first, and counts links on the feature list", async () => {
    const first = expectStatus(await link("#1", "GITLAB_ISSUE"), 201);
    const second = expectStatus(await link("!3", "GITLAB_MR"), 201);
    const list = expectStatus(await linksApi.list(admin, p.projectId, p.featureId), 200);
    expect(list.results.map((row: { id: number }) => row.id)).toEqual([second.id, first.id]);
    expect(list.results[0].metadata).toMatchObject({ reference: "!3", state: "merged", merged: true });
    const features = expectStatus(
      await call(featuresRoute.GET, "GET", `/api/v1/projects/${p.projectId}/features/`, {
        ...admin,
        params: { projectId: p.projectId },
      }),
      200,
    );
    expect(
      features.results.find((feature: { id: number }) => feature.id === p.featureId).linked_items_count,
    ).toBe(2);
  });
});

describe("refusals", () => {
  it("refuses a type that does not match what the URL points at", async () => {
    const result = await link(`${web}/-/merge_requests/1`, "GITLAB_ISSUE");
    expectError(result, 400, "bad_request");
    expect(result.body.error.message).toMatch(/is a merge request, but the link was asked for as an issue/);
    expectError(await link("#1", "GITLAB_MR"), 400, "bad_request");
  });

  it("refuses URLs on another host, group-level items and text that is no reference, with the parser's reason", async () => {
    const host = await link("https://gitlab.com/acme/web/-/issues/1", "GITLAB_ISSUE");
    expectError(host, 400, "bad_request");
    expect(host.body.error.message).toMatch(
      /This URL is on gitlab\.com, but the GitLab integration is connected to 127\.0\.0\.1/,
    );
    const group = await link(`${gl.url}/groups/acme/-/work_items/4`, "GITLAB_ISSUE");
    expectError(group, 400, "bad_request");
    expect(group.body.error.message).toMatch(/Group-level work items and epics cannot be linked/);
    const brokenEscape = await link(`${gl.url}/acme/web%E0%A4%A/-/issues/1`, "GITLAB_ISSUE");
    expectError(brokenEscape, 400, "bad_request");
    expect(brokenEscape.body.error.message).toMatch(/malformed percent-encoding/);
    const junk = await link("the checkout issue", "GITLAB_ISSUE");
    expectError(junk, 400, "bad_request");
    expect(junk.body.error.message).toMatch(/is not a GitLab issue or merge request URL or reference/);
    expect(gl.sim.requests()).toEqual([]);
  });

  it("refuses items GitLab does not have or does not show the token: 400", async () => {
    const missing = await link("#999", "GITLAB_ISSUE");
    expectError(missing, 400, "bad_request");
    expect(missing.body.error.message).toBe(
      `Issue ${DEMO_PROJECT_PATH}#999 was not found or is not visible to the integration's token.`,
    );
    const hidden = await link(`${gl.url}/${DEMO_PRIVATE_PROJECT_PATH}/-/issues/1`, "GITLAB_ISSUE");
    expectError(hidden, 400, "bad_request");
    expect(hidden.body.error.message).toMatch(/not found or is not visible to the integration's token/);
    expect(await prisma.externalResource.count({ where: { featureId: p.featureId } })).toBe(0);
  });

  it("refuses a duplicate with 409, matching by project id, kind and iid whatever the URL form", async () => {
    expectStatus(await link(`${web}/-/issues/1`, "GITLAB_ISSUE"), 201);
    const again = await link(`${web}/-/work_items/1#note_9`, "GITLAB_ISSUE");
    expectError(again, 409, "conflict");
    expect(again.body.error.message).toBe(`${DEMO_PROJECT_PATH}#1 is already linked to this feature`);
    expectError(await link("#1", "GITLAB_ISSUE"), 409, "conflict");
    // Issue 1 and merge request 1 are different items.
    expectStatus(await link("!1", "GITLAB_MR"), 201);
  });

  it("lets exactly one of two editors racing to link the same item win; the other gets 409", async () => {
    const results = await Promise.all([
      link("#6", "GITLAB_ISSUE"),
      link(`${web}/-/issues/6`, "GITLAB_ISSUE"),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual([201, 409]);
    expect(await prisma.externalResource.count({ where: { featureId: p.featureId, iid: 6 } })).toBe(1);
  });

  it("answers 400 when the project has no GitLab integration, and 404 for a feature of another project", async () => {
    const bare = await createProject(p.organisationId);
    const feature = await prisma.feature.create({ data: { projectId: bare.id, name: "bare" } });
    const result = await linksApi.link(admin, bare.id, feature.id, { url: "#1", type: "GITLAB_ISSUE" });
    expectError(result, 400, "bad_request");
    expect(result.body.error.message).toMatch(/no GitLab integration/);
    expectStatus(await linksApi.list(admin, bare.id, feature.id), 200);
    expectError(
      await linksApi.link(admin, p.projectId, feature.id, { url: "#1", type: "GITLAB_ISSUE" }),
      404,
      "not_found",
    );
  });

  it("validates the body: a missing type is 422", async () => {
    expectError(
      await linksApi.link(admin, p.projectId, p.featureId, { url: "#1" }),
      422,
      "unprocessable_entity",
    );
  });

  it("refuses to link with 502 while GitLab is failing, and stores nothing", async () => {
    gl.sim.injectFault({ status: 502, count: -1 });
    const result = await link("#1", "GITLAB_ISSUE");
    expectError(result, 502, "bad_gateway");
    expect(result.body.error.message).toMatch(/GitLab failed \(HTTP 502\)/);
    expect(await prisma.externalResource.count({ where: { featureId: p.featureId } })).toBe(0);
  });
});

describe("who may link", () => {
  it("lets viewers read but not link or unlink (403); editors may", async () => {
    const viewer = {
      headers: await sessionHeaders((await seedProjectMember(p.organisationId, p.projectId, "VIEWER")).id),
    };
    const editor = {
      headers: await sessionHeaders((await seedProjectMember(p.organisationId, p.projectId, "EDITOR")).id),
    };
    expectError(await link("#1", "GITLAB_ISSUE", viewer), 403, "forbidden");
    const linked = expectStatus(await link("#1", "GITLAB_ISSUE", editor), 201);
    expect(expectStatus(await linksApi.list(viewer, p.projectId, p.featureId), 200).results).toHaveLength(1);
    expectError(await linksApi.unlink(viewer, p.projectId, p.featureId, linked.id), 403, "forbidden");
    expectStatus(await linksApi.unlink(editor, p.projectId, p.featureId, linked.id), 204);
  });
});

describe("unlinking, audit and tags", () => {
  it("audits link and unlink with the item reference; a second unlink is 404", async () => {
    const linked = expectStatus(await link("!3", "GITLAB_MR"), 201);
    expectStatus(await linksApi.unlink(admin, p.projectId, p.featureId, linked.id), 204);
    expectError(await linksApi.unlink(admin, p.projectId, p.featureId, linked.id), 404, "not_found");
    const audit = await prisma.auditLog.findMany({
      where: { featureId: p.featureId, entityType: "feature_external_resource", entityId: String(linked.id) },
      orderBy: { id: "asc" },
    });
    expect(audit.map((row) => [row.action, row.summary])).toEqual([
      ["CREATE", expect.stringMatching(new RegExp(`^Linked ${DEMO_PROJECT_PATH}!3 to feature `))],
      ["DELETE", expect.stringMatching(new RegExp(`^Unlinked ${DEMO_PROJECT_PATH}!3 from feature `))],
    ]);
    expect(audit[0]!.changes).toMatchObject({ linked_item: { from: null, to: `${DEMO_PROJECT_PATH}!3` } });
  });

  it("tags the feature at link time from the item's state, and clears a kind's tag only with its last link", async () => {
    const open = expectStatus(await link("#1", "GITLAB_ISSUE"), 201);
    expect(await tagLabels(p.featureId)).toEqual(["Issue Open"]);
    const closed = expectStatus(await link(`${web}/-/work_items/2`, "GITLAB_ISSUE"), 201);
    const merged = expectStatus(await link("!3", "GITLAB_MR"), 201);
    expect(await tagLabels(p.featureId)).toEqual(["Issue Open", "MR Merged"]);

    expectStatus(await linksApi.unlink(admin, p.projectId, p.featureId, open.id), 204);
    expect(await tagLabels(p.featureId)).toEqual(["Issue Closed", "MR Merged"]);
    expectStatus(await linksApi.unlink(admin, p.projectId, p.featureId, closed.id), 204);
    expect(await tagLabels(p.featureId)).toEqual(["MR Merged"]);
    expectStatus(await linksApi.unlink(admin, p.projectId, p.featureId, merged.id), 204);
    expect(await tagLabels(p.featureId)).toEqual([]);
  });

  it("tags a draft MR as MR Draft", async () => {
    expectStatus(await link("!2", "GITLAB_MR"), 201);
    expect(await tagLabels(p.featureId)).toEqual(["MR Draft"]);
  });

  it("applies no tags with tagging off", async () => {
    const off = await connectedProject(gl, seed, { tagging: false });
    expectStatus(
      await linksApi.link({ apiKey: off.apiKey }, off.projectId, off.featureId, {
        url: "#1",
        type: "GITLAB_ISSUE",
      }),
      201,
    );
    expectStatus(
      await linksApi.link({ apiKey: off.apiKey }, off.projectId, off.featureId, {
        url: "!3",
        type: "GITLAB_MR",
      }),
      201,
    );
    expect(await tagLabels(off.featureId)).toEqual([]);
  });
});
