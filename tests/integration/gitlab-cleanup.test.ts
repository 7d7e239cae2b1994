import { integrationJobGroup } from "@/lib/gitlab/integration/job-group";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEMO_TOKENS, type DemoSeed } from "@/tools/gitlab-sim/seed";
import { startGitLabSimulator, type GitLabSimulator } from "@/tools/gitlab-sim/server";
import { ACCESS_LEVEL } from "@/tools/gitlab-sim/types";
import { encryptSecret } from "@/lib/crypto/secret-box";
import { prisma } from "@/lib/db/client";
import { CLEANUP_LINK_JOB } from "@/lib/gitlab/cleanup/cleanup-issues";
import { ITEM_LABEL_JOB } from "@/lib/gitlab/links/link-labels";
import { STATUS_NOTE_JOB } from "@/lib/gitlab/notes/status-note-outbox";
import { drainJobs } from "@/lib/jobs/worker";
import { hasNoteMarker } from "@/lib/vcs/status-comment";
import { expectError, seedOrganisation, seedProjectMember, sessionHeaders } from "@/tests/support/api";
import {
  createFeature,
  createProjectWithEnvironments,
  expectStatus,
  type TestEnvironment,
} from "@/tests/support/flags";
import { createProject, gitlabApi } from "@/tests/support/gitlab";
import { cleanupApi, testClock } from "@/tests/support/gitlab-cleanup";
import { linksApi, tagLabels } from "@/tests/support/gitlab-links";
import { startWebhookReceiver } from "@/tests/support/gitlab-webhooks";

// "Create cleanup issue" against the GitLab simulator: the generated preview, the issue in GitLab
// with its body, assignee and labels, the link that makes it the flag's cleanup issue (tags, label
// and status-note jobs as for any link), the audit entry, the duplicate warning, every refusal
// leaving nothing behind, a failed link retried by the job queue, and the issue closing in GitLab
// (a real webhook delivery) making the flag ready to delete.

// Background jobs run as soon as they are queued (no burst debounce) when a test drains them.
process.env.FLAGPOST_JOB_DEBOUNCE_MS = "0";

let gl: GitLabSimulator;
let seed: DemoSeed;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

interface CleanupProject {
  organisationId: number;
  apiKey: string;
  projectId: number;
  integrationId: number;
  featureId: number;
  featureName: string;
  environments: TestEnvironment[];
}

let p: CleanupProject;

/** A project with two environments, connected to the demo GitLab project (which delivers webhooks here), with one feature. */
async function cleanupProject({
  token = DEMO_TOKENS.maintainer as string,
  linkProject = true,
} = {}): Promise<CleanupProject> {
  const { organisation, apiKey } = await seedOrganisation();
  const { project, environments } = await createProjectWithEnvironments(apiKey, [
    "Development",
    "Production",
  ]);
  const integration = expectStatus(
    await gitlabApi.create({ apiKey }, project.id, {
      gitlab_instance_url: gl.url,
      access_token: token,
      ...(linkProject ? { gitlab_project_id: seed.projectId } : {}),
      tagging_enabled: true,
    }),
    201,
  );
  if (linkProject) {
    gl.sim.registerHook(seed.projectId, {
      url: `${receiver.url}/api/v1/gitlab-webhook/${project.id}/`,
      token: integration.webhook_secret,
      issues_events: true,
      merge_requests_events: true,
    });
  }
  const featureName = `new_checkout_${Math.random().toString(36).slice(2, 7)}`;
  const feature = await createFeature(apiKey, project.id, {
    name: featureName,
    description: "Gates the new checkout | flow.\n/close",
  });
  return {
    organisationId: organisation.id,
    apiKey,
    projectId: project.id,
    integrationId: integration.id,
    featureId: feature.id,
    featureName,
    environments,
  };
}

const issueCount = () => gl.sim.store.issues.size;
const cleanupLinks = (featureId: number) =>
  prisma.externalResource.findMany({ where: { featureId, isCleanupIssue: true }, orderBy: { id: "asc" } });
const auditSummaries = async (featureId: number) =>
  (await prisma.auditLog.findMany({ where: { featureId }, orderBy: { id: "asc" } })).map(
    (row) => row.summary,
  );

/** Nothing happened: no issue in GitLab, no link, no audit entry, no job. */
async function expectNothingCreated(project: CleanupProject, issuesBefore: number, auditBefore: number) {
  expect(issueCount()).toBe(issuesBefore);
  expect(await prisma.externalResource.count({ where: { featureId: project.featureId } })).toBe(0);
  expect(await prisma.auditLog.count({ where: { featureId: project.featureId } })).toBe(auditBefore);
  expect(
    await prisma.job.count({
      where: {
        projectId: project.projectId,
        kind: { in: [CLEANUP_LINK_JOB, ITEM_LABEL_JOB, STATUS_NOTE_JOB] },
      },
    }),
  ).toBe(0);
}

const create = (body: Record<string, unknown>, project: CleanupProject = p) =>
  cleanupApi.create({ apiKey: project.apiKey }, project.projectId, {
    feature_id: project.featureId,
    ...body,
  });

beforeAll(async () => {
  gl = await startGitLabSimulator({ port: 0 });
  seed = gl.sim.seedDemo();
  receiver = await startWebhookReceiver();
  p = await cleanupProject();
});
afterEach(async () => {
  gl.sim.clearFaults();
  await prisma.externalResource.deleteMany({ where: { featureId: p.featureId } });
  await prisma.job.deleteMany({ where: { projectId: p.projectId } });
});
afterAll(async () => {
  await gl?.close();
  await receiver?.close();
});

describe("GET cleanup-issue-preview", () => {
  it("proposes the title and a body from the flag's description, states, links and last change", async () => {
    expectStatus(
      await linksApi.link({ apiKey: p.apiKey }, p.projectId, p.featureId, { url: "!3", type: "GITLAB_MR" }),
      201,
    );
    const preview = expectStatus(
      await cleanupApi.preview({ apiKey: p.apiKey }, p.projectId, p.featureId),
      200,
    );
    expect(preview).toMatchObject({
      feature: p.featureId,
      title: `Remove feature flag \`${p.featureName}\``,
      gitlab_project_id: seed.projectId,
      project_path: seed.projectPath,
      open_cleanup_issue: null,
    });
    const body: string = preview.description;
    // Plain Markdown people can edit: only the pipe is escaped; the quoted slash runs nothing.
    expect(body).toContain("> Gates the new checkout \\| flow.\n> /close");
    expect(body).toMatch(
      /\| \[Development\]\(http:\/\/localhost:3000\/projects\/\d+\/environments\/[^)]+\/features\/\d+\?tab=value\) \| ❌ Disabled \| _no value_ \| \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \|/,
    );
    expect(body).toContain(`- Merge request [${seed.projectPath}!3](`);
    expect(body).toContain("Introduce the feature flag SDK (merged on ");
    expect(body).toContain(`- [ ] Remove the code paths that read \`${p.featureName}\``);
    expect(body).toContain("- [ ] Remove the flag in Flagpost (");
  });

  it("answers 404 for an unknown feature, 403 to viewers and 400 without an integration", async () => {
    expectError(await cleanupApi.preview({ apiKey: p.apiKey }, p.projectId, 99_999_999), 404);
    const viewer = await seedProjectMember(p.organisationId, p.projectId, "VIEWER");
    expectError(
      await cleanupApi.preview({ headers: await sessionHeaders(viewer.id) }, p.projectId, p.featureId),
      403,
    );
    const { apiKey } = await seedOrganisation();
    const { project } = await createProjectWithEnvironments(apiKey, ["Production"]);
    const feature = await createFeature(apiKey, project.id, { name: "lonely" });
    const refused = await cleanupApi.preview({ apiKey }, project.id, feature.id);
    expectError(refused, 400, "bad_request");
    expect(refused.body.error.message).toMatch(/no GitLab integration/);
    expectError(await cleanupApi.preview({ apiKey: p.apiKey }, p.projectId, "abc"), 400);
  });
});

describe("POST create-cleanup-issue", () => {
  it("creates the issue with the generated body, an assignee and labels, links it as the cleanup issue and audits it", async () => {
    const preview = expectStatus(
      await cleanupApi.preview({ apiKey: p.apiKey }, p.projectId, p.featureId),
      200,
    );
    const created = expectStatus(
      await create({ assignee_ids: [seed.users.bob], labels: ["cleanup", "feature-flag"] }),
      201,
    );
    expect(created).toMatchObject({
      issue: {
        iid: expect.any(Number),
        title: `Remove feature flag \`${p.featureName}\``,
        state: "opened",
        web_url: expect.stringContaining(`/${seed.projectPath}/-/issues/`),
        reference: `#${created.issue.iid}`,
        full_reference: `${seed.projectPath}#${created.issue.iid}`,
        gitlab_project_id: seed.projectId,
        labels: expect.arrayContaining(["cleanup", "feature-flag"]),
        assignees: [expect.objectContaining({ id: seed.users.bob, username: "bob" })],
      },
      link: {
        type: "GITLAB_ISSUE",
        feature: p.featureId,
        is_cleanup_issue: true,
        metadata: { iid: created.issue.iid, state: "opened", reference: `#${created.issue.iid}` },
      },
      link_pending: false,
      message: `Created ${seed.projectPath}#${created.issue.iid} and linked it to ${p.featureName}.`,
    });

    const inGitLab = gl.sim.getIssue(seed.projectId, created.issue.iid)!;
    expect(inGitLab.description).toBe(preview.description);
    expect(inGitLab.assignees.map((user: { username: string }) => user.username)).toEqual(["bob"]);
    expect(inGitLab.author?.username).toBe(seed.botUsernames.maintainer);
    // Nothing in the generated body ran as a quick action.
    expect(inGitLab.state).toBe("opened");
    expect(gl.sim.quickActions()).toEqual([]);

    const [link] = await cleanupLinks(p.featureId);
    expect(link).toMatchObject({
      iid: created.issue.iid,
      gitlabProjectId: seed.projectId,
      state: "opened",
      isCleanupIssue: true,
    });
    const audit = await prisma.auditLog.findFirstOrThrow({
      where: { featureId: p.featureId, entityType: "feature_external_resource" },
      orderBy: { id: "desc" },
    });
    expect(audit).toMatchObject({
      action: "CREATE",
      summary: `Created cleanup issue ${seed.projectPath}#${created.issue.iid} for feature ${p.featureName}`,
      changes: {
        cleanup_issue: { from: null, to: true },
        linked_item: { from: null, to: `${seed.projectPath}#${created.issue.iid}` },
      },
    });
    // A cleanup issue is not the flag's work: it drives no Issue tag. As for any link, the label
    // and the status note follow in the background.
    expect(await tagLabels(p.featureId)).toEqual([]);
    const jobs = await prisma.job.findMany({
      where: { projectId: p.projectId },
      select: { kind: true, payload: true },
    });
    expect(jobs.map((job) => job.kind).sort()).toEqual([ITEM_LABEL_JOB, STATUS_NOTE_JOB].sort());
    await drainJobs({});
    expect(gl.sim.getIssue(seed.projectId, created.issue.iid)!.labels).toContain("Flagpost");
    expect(
      gl.sim
        .notes(seed.projectId, "issue", created.issue.iid)
        .filter((note: { body: string }) => hasNoteMarker(note.body, p.featureId)),
    ).toHaveLength(1);

    // The Links tab and the stale view show it as the open cleanup issue.
    const links = expectStatus(await linksApi.list({ apiKey: p.apiKey }, p.projectId, p.featureId), 200);
    expect(links.results).toEqual([expect.objectContaining({ is_cleanup_issue: true, id: link!.id })]);
    const again = expectStatus(await cleanupApi.preview({ apiKey: p.apiKey }, p.projectId, p.featureId), 200);
    expect(again.open_cleanup_issue).toMatchObject({ id: link!.id, metadata: { iid: created.issue.iid } });
  });

  it("keeps an edited title and body, escaping only lines GitLab would run as quick actions", async () => {
    const created = expectStatus(
      await create({
        title: "Drop the checkout flag",
        description: "Please remove it.\n/close\n/assign @dave\n```\n/not-a-command\n```",
      }),
      201,
    );
    const inGitLab = gl.sim.getIssue(seed.projectId, created.issue.iid)!;
    expect(inGitLab.title).toBe("Drop the checkout flag");
    // Lines in code fences are escaped too: GitLab may not read a fence the way Flagpost would.
    expect(inGitLab.description).toBe(
      "Please remove it.\n\\/close\n\\/assign @dave\n```\n\\/not-a-command\n```",
    );
    expect(inGitLab.state).toBe("opened");
    expect(inGitLab.assignees).toEqual([]);
  });

  it("warns with 409 naming the open cleanup issue, and creates another when confirmed", async () => {
    const first = expectStatus(await create({}), 201);
    const before = issueCount();
    const duplicate = await create({});
    expectError(duplicate, 409, "conflict");
    expect(duplicate.body.error.message).toBe(
      `${p.featureName} already has an open cleanup issue: ${seed.projectPath}#${first.issue.iid} (${first.issue.web_url}). Send confirm_duplicate: true to create another anyway.`,
    );
    expect(duplicate.body.error.details).toMatchObject({
      reason: "cleanup_issue_open",
      open_cleanup_issue: { metadata: { iid: first.issue.iid } },
    });
    expect(issueCount()).toBe(before);
    const second = expectStatus(await create({ confirm_duplicate: true }), 201);
    expect(second.issue.iid).not.toBe(first.issue.iid);
    expect((await cleanupLinks(p.featureId)).map((link) => link.iid)).toEqual([
      first.issue.iid,
      second.issue.iid,
    ]);
  });

  it("two requests at once (a double submit) create one issue: the other is refused with 409", async () => {
    const before = issueCount();
    const answers = await Promise.all([create({}), create({})]);
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([201, 409]);
    const refused = answers.find((answer) => answer.status === 409)!;
    expect(["cleanup_issue_in_progress", "cleanup_issue_open"]).toContain(refused.body.error.details.reason);
    expect(issueCount()).toBe(before + 1);
    expect(await cleanupLinks(p.featureId)).toHaveLength(1);
    // The claim is released once the first request is done: a confirmed duplicate goes through.
    expectStatus(await create({ confirm_duplicate: true }), 201);
    expect(issueCount()).toBe(before + 2);
  });

  it("creates the issue in another GitLab project the token sees when asked", async () => {
    const created = expectStatus(await create({ gitlab_project_id: seed.searchOnlyProjectId }), 201);
    expect(created.issue).toMatchObject({
      gitlab_project_id: seed.searchOnlyProjectId,
      full_reference: expect.stringMatching(/^acme\/billing\/checkout-service#\d+$/),
    });
    expect(created.link.metadata).toMatchObject({
      gitlab_project_id: seed.searchOnlyProjectId,
      project_path: "acme/billing/checkout-service",
    });
  });

  it("is for editors only", async () => {
    const viewer = await seedProjectMember(p.organisationId, p.projectId, "VIEWER");
    const before = issueCount();
    expectError(
      await cleanupApi.create({ headers: await sessionHeaders(viewer.id) }, p.projectId, {
        feature_id: p.featureId,
      }),
      403,
    );
    expect(issueCount()).toBe(before);
  });
});

describe("refusals leave nothing behind", () => {
  const refusal = async (
    project: CleanupProject,
    body: Record<string, unknown>,
    status: number,
    message: RegExp,
  ) => {
    const issuesBefore = issueCount();
    const auditBefore = await prisma.auditLog.count({ where: { featureId: project.featureId } });
    const answer = await create(body, project);
    expectError(answer, status);
    expect(answer.body.error.message).toMatch(message);
    await expectNothingCreated(project, issuesBefore, auditBefore);
    return answer;
  };

  it("no integration: 400", async () => {
    const { organisation, apiKey } = await seedOrganisation();
    const project = await createProject(organisation.id);
    const feature = await createFeature(apiKey, project.id, { name: "no-integration" });
    const bare = {
      organisationId: organisation.id,
      apiKey,
      projectId: project.id,
      integrationId: 0,
      featureId: feature.id,
      featureName: "no-integration",
      environments: [],
    };
    await refusal(bare, {}, 400, /no GitLab integration: connect GitLab in the project settings first/);
  });

  it("no GitLab project chosen and none linked: 400", async () => {
    const unlinked = await cleanupProject({ linkProject: false });
    const answer = await refusal(unlinked, {}, 400, /Choose the GitLab project to create the issue in/);
    expect(answer.body.error.details).toEqual({ field: "body.gitlab_project_id" });
  });

  it("a GitLab project the token cannot see: 400 not found or not visible", async () => {
    // globex/secret-plans: the token is no member of it.
    await refusal(
      p,
      { gitlab_project_id: seed.privateProjectId },
      400,
      new RegExp(
        `GitLab project ${seed.privateProjectId} was not found or is not visible to the integration's token`,
      ),
    );
  });

  it("a token below Reporter: 400 before anything is created", async () => {
    const guestToken = gl.sim.createToken({
      name: "Flagpost guest",
      scopes: ["api"],
      projects: [{ id: seed.projectId, access_level: ACCESS_LEVEL.guest }],
    }).value;
    const guest = await cleanupProject({ token: guestToken });
    await refusal(guest, {}, 400, /the integration's token needs at least the Reporter role there/);
  });

  it("GitLab refusing with 403 (role too low): 400 naming the role needed", async () => {
    gl.sim.injectFault({ status: 403, method: "POST", pathPattern: `^/projects/${seed.projectId}/issues$` });
    const answer = await refusal(
      p,
      {},
      400,
      /GitLab refused to create the issue in acme\/platform\/flags-demo: the integration's token needs at least the Reporter role/,
    );
    expect(answer.body.error.details).toEqual({ reason: "insufficient_role" });
  });

  it("a token without the api scope: 400 saying so", async () => {
    const readonly = await cleanupProject();
    // Connecting refuses such a token; one whose scope was narrowed in GitLab later looks like this.
    await prisma.gitLabIntegration.update({
      where: { id: readonly.integrationId },
      data: { encryptedToken: encryptSecret(DEMO_TOKENS.readonly) },
    });
    await refusal(readonly, {}, 400, /lacks the `api` scope/);
  });

  it("an assignee who is not a member: 422 naming them, checked with GitLab's members API", async () => {
    gl.sim.clearRequests();
    const answer = await refusal(
      p,
      { assignee_ids: [seed.users.bob, seed.users.dave] },
      422,
      new RegExp(`^GitLab user ${seed.users.dave} is not a member of acme/platform/flags-demo`),
    );
    expect(answer.body.error.details).toEqual([
      {
        field: "body.assignee_ids",
        issue: expect.stringContaining(`GitLab user ${seed.users.dave}`),
        user_id: seed.users.dave,
      },
    ]);
    const members = gl.sim
      .requests()
      .filter((request) => request.path.startsWith(`/projects/${seed.projectId}/members/all`));
    expect(members).toHaveLength(1);
    expect(members[0]!.query).toMatchObject({
      "user_ids[]": [String(seed.users.bob), String(seed.users.dave)],
    });
  });

  it("GitLab failing: 502, nothing stored", async () => {
    gl.sim.injectFault({ status: 500, method: "POST", pathPattern: `^/projects/${seed.projectId}/issues$` });
    await refusal(p, {}, 502, /GitLab failed \(HTTP 500\)/);
  });

  it("an archived feature, an unknown feature and invalid input", async () => {
    const archivedProject = await cleanupProject();
    expectStatus(
      await cleanupApi.patchFeature(
        { apiKey: archivedProject.apiKey },
        archivedProject.projectId,
        archivedProject.featureId,
        { is_archived: true },
      ),
      200,
    );
    const issuesBefore = issueCount();
    expectError(await create({}, archivedProject), 400);
    expect(issueCount()).toBe(issuesBefore);
    expectError(await create({ feature_id: 99_999_999 }), 404);
    expectError(await create({ labels: ["a,b"] }), 422);
    expectError(await create({ title: " " }), 422);
    expectError(await create({ assignee_ids: ["bob"] }), 422);
    expect(issueCount()).toBe(issuesBefore);
  });
});

describe("a link that fails after GitLab created the issue", () => {
  it("is retried from the job queue (ids only), and the answer says it is pending", async () => {
    // The database refuses the link row once: GitLab has the issue, Flagpost not yet its link.
    await prisma.$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION refuse_cleanup_links() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'links are refused for this test'; END $$`);
    await prisma.$executeRawUnsafe(
      `CREATE TRIGGER refuse_cleanup_links BEFORE INSERT ON external_resources FOR EACH ROW EXECUTE FUNCTION refuse_cleanup_links()`,
    );
    let created;
    try {
      created = expectStatus(await create({ assignee_ids: [seed.users.carol] }), 201);
    } finally {
      await prisma.$executeRawUnsafe(`DROP TRIGGER IF EXISTS refuse_cleanup_links ON external_resources`);
    }
    expect(created).toMatchObject({
      link: null,
      link_pending: true,
      message: expect.stringMatching(/linking it to .* failed and will be retried in the background/),
    });
    expect(gl.sim.getIssue(seed.projectId, created.issue.iid)).toBeDefined();
    expect(await cleanupLinks(p.featureId)).toEqual([]);
    const jobs = await prisma.job.findMany({ where: { kind: CLEANUP_LINK_JOB, projectId: p.projectId } });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.payload).toEqual({
      integrationId: p.integrationId,
      featureId: p.featureId,
      gitlabProjectId: seed.projectId,
      iid: created.issue.iid,
    });
    expect(JSON.stringify(jobs[0]!.payload)).not.toContain("glpat");

    await drainJobs({});
    const [link] = await cleanupLinks(p.featureId);
    expect(link).toMatchObject({ iid: created.issue.iid, isCleanupIssue: true, title: created.issue.title });
    expect(
      await prisma.job.findFirstOrThrow({ where: { kind: CLEANUP_LINK_JOB, projectId: p.projectId } }),
    ).toMatchObject({ status: "SUCCEEDED" });
    expect(await auditSummaries(p.featureId)).toContain(
      `Linked cleanup issue ${seed.projectPath}#${created.issue.iid} to feature ${p.featureName} (retried after the first attempt failed)`,
    );
    expect(await tagLabels(p.featureId)).toEqual([]);
  });

  it("the job links nothing when the feature is gone, and fails plainly when the issue is", async () => {
    await prisma.job.create({
      data: {
        kind: CLEANUP_LINK_JOB,
        projectId: p.projectId,
        groupKey: integrationJobGroup(p.integrationId),
        payload: {
          integrationId: p.integrationId,
          featureId: 99_999_999,
          gitlabProjectId: seed.projectId,
          iid: 1,
        },
      },
    });
    await prisma.job.create({
      data: {
        kind: CLEANUP_LINK_JOB,
        projectId: p.projectId,
        groupKey: integrationJobGroup(p.integrationId),
        payload: {
          integrationId: p.integrationId,
          featureId: p.featureId,
          gitlabProjectId: seed.projectId,
          iid: 99_999,
        },
      },
    });
    const result = await drainJobs({});
    expect(result).toMatchObject({ succeeded: 1, failed: 1 });
    const failed = await prisma.job.findFirstOrThrow({ where: { kind: CLEANUP_LINK_JOB, status: "FAILED" } });
    expect(failed.lastError).toMatch(
      /Issue #99999 of GitLab project \d+ no longer exists or is hidden from the integration's token/,
    );
    expect(await cleanupLinks(p.featureId)).toEqual([]);
  });
});

describe("when the cleanup issue closes in GitLab", () => {
  it("the flag is ready to delete; archiving hides it from the list and restoring brings it back", async () => {
    const created = expectStatus(await create({}), 201);
    const listed = async () =>
      expectStatus(
        await cleanupApi.features({ apiKey: p.apiKey }, p.projectId, { page_size: 100 }),
        200,
      ).results.find((row: { id: number }) => row.id === p.featureId);
    expect(await listed()).toMatchObject({ ready_to_delete: false });

    // Someone closes it in GitLab; the simulator delivers the webhook to the real route.
    const deliveries = await gl.sim.issueAction(
      seed.projectId,
      created.issue.iid,
      "close",
      {},
      { userId: seed.users.alice },
    );
    const delivery = deliveries.find((record) => record.url.endsWith(`/gitlab-webhook/${p.projectId}/`));
    expect(delivery?.response?.status).toBe(200);
    expect(JSON.parse(delivery!.response!.body)).toMatchObject({ status: "applied", updated_links: 1 });
    const [link] = await cleanupLinks(p.featureId);
    expect(link).toMatchObject({ state: "closed", closedAt: expect.any(Date) });
    expect(await listed()).toMatchObject({ ready_to_delete: true, is_archived: false });
    expect(
      expectStatus(await cleanupApi.feature({ apiKey: p.apiKey }, p.projectId, p.featureId), 200),
    ).toMatchObject({ ready_to_delete: true });
    // The open-cleanup warning is gone with it.
    expect(
      expectStatus(await cleanupApi.preview({ apiKey: p.apiKey }, p.projectId, p.featureId), 200)
        .open_cleanup_issue,
    ).toBeNull();

    expectStatus(
      await cleanupApi.patchFeature({ apiKey: p.apiKey }, p.projectId, p.featureId, { is_archived: true }),
      200,
    );
    expect(await listed()).toBeUndefined();
    const archived = expectStatus(
      await cleanupApi.features({ apiKey: p.apiKey }, p.projectId, { archived: true }),
      200,
    );
    expect(archived.results).toEqual([
      expect.objectContaining({ id: p.featureId, is_archived: true, ready_to_delete: true }),
    ]);
    expect(await auditSummaries(p.featureId)).toContain(`Archived feature ${p.featureName}`);

    expectStatus(
      await cleanupApi.patchFeature({ apiKey: p.apiKey }, p.projectId, p.featureId, { is_archived: false }),
      200,
    );
    expect(await listed()).toMatchObject({ is_archived: false, ready_to_delete: true });
  });

  it("a stale flag stays stale with its closed cleanup issue until archived (the injected clock)", async () => {
    testClock.enable();
    try {
      expectStatus(
        await linksApi.link({ apiKey: p.apiKey }, p.projectId, p.featureId, { url: "!3", type: "GITLAB_MR" }),
        201,
      );
      expect(expectStatus(await cleanupApi.staleFlags({ apiKey: p.apiKey }, p.projectId), 200).count).toBe(0);
      expectStatus(await testClock.advanceDays(400), 200);
      const stale = expectStatus(await cleanupApi.staleFlags({ apiKey: p.apiKey }, p.projectId), 200);
      expect(stale.results).toEqual([
        expect.objectContaining({
          feature: expect.objectContaining({ id: p.featureId }),
          reason: expect.stringMatching(/^MR !3 merged \d+ days ago; disabled in all 2 environments since /),
          open_cleanup_issue: null,
        }),
      ]);
      const created = expectStatus(await create({}), 201);
      const withIssue = expectStatus(await cleanupApi.staleFlags({ apiKey: p.apiKey }, p.projectId), 200)
        .results[0];
      expect(withIssue.open_cleanup_issue).toMatchObject({ metadata: { iid: created.issue.iid } });
    } finally {
      await testClock.reset();
      testClock.disable();
    }
  });
});
