import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./support/test";
import { DEMO_PROJECT_PATH, DEMO_TOKENS } from "../tools/gitlab-sim/seed";
import { GITLAB_SIM_URL, uniqueName } from "./support/constants";

// GitLab drives the flag, in a real browser against the production server: a release rule made on
// the Links tab fires when the merge request is merged in the GitLab simulator (flag enabled, the
// status note names the rule); a comment command in the simulator gets a reply and changes the flag.

test.describe.configure({ mode: "serial" });

const simProject = `${GITLAB_SIM_URL}/_sim/projects/${encodeURIComponent(DEMO_PROJECT_PATH)}`;
let projectId: number;
let featureId: number;
let featureName: string;
let development: string;
let mrIid: number;
let bot: string;
let alice: number;

async function developmentEnabled(request: APIRequestContext): Promise<boolean> {
  const answer = await request.get(`/api/v1/environments/${development}/featurestates/?feature=${featureId}`);
  const body = (await answer.json()) as { results: { enabled: boolean }[] };
  return body.results[0]!.enabled;
}

test.beforeAll(async ({ request, baseURL }) => {
  const headers = { origin: baseURL! };
  const seeded = await request.post(`${GITLAB_SIM_URL}/_sim/seed`);
  expect(seeded.ok()).toBe(true);
  const seed = (await seeded.json()) as { projectId: number; users: { alice: number } };
  const gitlabProjectId = seed.projectId;
  alice = seed.users.alice;
  bot = (
    (await (await request.get(`${GITLAB_SIM_URL}/_sim/tokens/${DEMO_TOKENS.maintainer}`)).json()) as {
      username: string;
    }
  ).username;

  const project = await request.post("/api/v1/projects/", {
    data: { name: uniqueName("Release rules"), create_default_environments: true },
    headers,
  });
  projectId = ((await project.json()) as { id: number }).id;
  const integration = await request.post(`/api/v1/projects/${projectId}/integrations/gitlab/`, {
    data: {
      gitlab_instance_url: GITLAB_SIM_URL,
      access_token: DEMO_TOKENS.maintainer,
      gitlab_project_id: gitlabProjectId,
    },
    headers,
  });
  expect(integration.status(), await integration.text()).toBe(201);
  const config = (await integration.json()) as { id: number; webhook_url: string; webhook_secret: string };
  const enabled = await request.patch(`/api/v1/projects/${projectId}/integrations/gitlab/${config.id}/`, {
    data: { release_rules_enabled: true, commands_enabled: true },
    headers,
  });
  expect(enabled.status(), await enabled.text()).toBe(200);

  featureName = uniqueName("fast_cart");
  const feature = await request.post(`/api/v1/projects/${projectId}/features/`, {
    data: { name: featureName },
    headers,
  });
  featureId = ((await feature.json()) as { id: number }).id;
  const mr = await request.post(`${simProject}/merge_requests`, {
    data: { title: "Fast cart", source_branch: uniqueName("feature/fast-cart"), author_id: alice },
  });
  expect(mr.status(), await mr.text()).toBe(201);
  mrIid = ((await mr.json()) as { iid: number }).iid;
  const linked = await request.post(
    `/api/v1/projects/${projectId}/features/${featureId}/feature-external-resources/`,
    { data: { url: `!${mrIid}`, type: "GITLAB_MR" }, headers },
  );
  expect(linked.status(), await linked.text()).toBe(201);
  const environments = (await (await request.get(`/api/v1/environments/?project=${projectId}`)).json()) as {
    results: { api_key: string; name: string }[];
  };
  development = environments.results.find((environment) => environment.name === "Development")!.api_key;
  const hook = await request.post(`${simProject}/hooks`, {
    data: {
      url: config.webhook_url,
      token: config.webhook_secret,
      issues_events: true,
      merge_requests_events: true,
      note_events: true,
    },
  });
  expect(hook.status()).toBe(201);
});

test("a rule made on the Links tab enables the flag when the MR merges in GitLab", async ({
  page,
  request,
}) => {
  await page.goto(`/projects/${projectId}/environments/${development}/features/${featureId}?tab=links`);
  await page.getByRole("button", { name: "Add release rule" }).click();
  const form = page.getByRole("dialog", { name: "New release rule" });
  await expect(form.getByLabel("Event")).toHaveValue("merged");
  // The shared schema refuses a rule without environments before anything is sent.
  await form.getByRole("button", { name: "Add rule" }).click();
  await expect(form).toContainText("Choose at least one environment");
  await form.getByLabel("Development").check();
  await form.getByRole("button", { name: "Add rule" }).click();
  await expect(form).toBeHidden();
  const rules = page.getByRole("list", { name: new RegExp(`Release rules of .*!${mrIid}`) });
  await expect(rules).toContainText(`When !${mrIid} merges → enable in Development`);
  await expect(rules).toContainText("waiting");

  const merged = await request.post(`${simProject}/merge_requests/${mrIid}/actions`, {
    data: { action: "merge", userId: alice },
  });
  expect(merged.ok(), await merged.text()).toBe(true);
  await expect.poll(() => developmentEnabled(request)).toBe(true);
  await expect(async () => {
    const notes = (await (await request.get(`${simProject}/merge_requests/${mrIid}/notes`)).json()) as {
      body: string;
      system: boolean;
    }[];
    const status = notes.find((note) => !note.system && note.body.includes("Feature flag"));
    expect(status?.body).toMatch(/rule \\#\d+: MR \\!\d+ merged by \\@alice in GitLab: Enabled/);
  }).toPass();
  await page.reload();
  await expect(rules).toContainText("fired");
});

test("a comment command in GitLab gets a reply in its thread and changes the flag", async ({ request }) => {
  const comment = await request.post(`${simProject}/merge_requests/${mrIid}/notes`, {
    data: { body: `@${bot} disable in development`, author: "alice", thread: true },
  });
  expect(comment.status(), await comment.text()).toBe(201);
  await expect.poll(() => developmentEnabled(request)).toBe(false);
  await expect(async () => {
    const discussions = (await (
      await request.get(`${simProject}/merge_requests/${mrIid}/discussions`)
    ).json()) as { notes: { body: string; author: { username: string } }[] }[];
    const thread = discussions.find((discussion) =>
      discussion.notes[0]?.body.includes("disable in development"),
    );
    expect(thread?.notes[1]).toMatchObject({
      author: { username: bot },
      body: expect.stringContaining("@alice Done:"),
    });
  }).toPass();
});
