import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./support/test";
import { DEMO_PROJECT_PATH, DEMO_TOKENS } from "../tools/gitlab-sim/seed";
import { GITLAB_SIM_URL, uniqueName } from "./support/constants";
import { WIDTHS, expectNoHorizontalOverflow, keepScreenshot } from "./support/ui";

// GitLab's webhooks reaching the production server: a feature linked to an open issue and an open
// merge request (through the API) shows "Issue Open" and "MR Open"; closing the issue and merging
// the MR in the GitLab simulator, which delivers to the server's webhook URL, turns the chips on the
// features page into "Issue Closed" and "MR Merged". The integration page lists the deliveries.

test.describe.configure({ mode: "serial" });

let projectId: number;
let featureName: string;
let envApiKey: string;
let webhookUrl: string;
const simProject = `${GITLAB_SIM_URL}/_sim/projects/${encodeURIComponent(DEMO_PROJECT_PATH)}`;

/** As the item's author (a person, not Flagpost's token user); answers once our webhook has answered. */
async function simAction(
  request: APIRequestContext,
  kind: "issues" | "merge_requests",
  iid: number,
  action: string,
) {
  const answer = await request.post(`${simProject}/${kind}/${iid}/actions`, { data: { action } });
  expect(answer.ok(), await answer.text()).toBe(true);
}

test.beforeAll(async ({ request, baseURL }) => {
  const headers = { origin: baseURL! };
  const seeded = await request.post(`${GITLAB_SIM_URL}/_sim/seed`);
  expect(seeded.ok()).toBe(true);
  const gitlabProjectId = ((await seeded.json()) as { projectId: number }).projectId;

  const project = await request.post("/api/v1/projects/", {
    data: { name: uniqueName("Webhooks"), create_default_environments: true },
    headers,
  });
  expect(project.status()).toBe(201);
  projectId = ((await project.json()) as { id: number }).id;
  const integration = await request.post(`/api/v1/projects/${projectId}/integrations/gitlab/`, {
    data: {
      gitlab_instance_url: GITLAB_SIM_URL,
      access_token: DEMO_TOKENS.maintainer,
      gitlab_project_id: gitlabProjectId,
      tagging_enabled: true,
    },
    headers,
  });
  expect(integration.status(), await integration.text()).toBe(201);
  const config = (await integration.json()) as { webhook_url: string; webhook_secret: string };
  webhookUrl = config.webhook_url;
  expect(webhookUrl).toBe(`${baseURL}/api/v1/gitlab-webhook/${projectId}/`);

  featureName = uniqueName("new_checkout");
  const feature = await request.post(`/api/v1/projects/${projectId}/features/`, {
    data: { name: featureName },
    headers,
  });
  expect(feature.status()).toBe(201);
  const featureId = ((await feature.json()) as { id: number }).id;
  for (const link of [
    { url: "#1", type: "GITLAB_ISSUE" },
    { url: "!1", type: "GITLAB_MR" },
  ]) {
    const linked = await request.post(
      `/api/v1/projects/${projectId}/features/${featureId}/feature-external-resources/`,
      { data: link, headers },
    );
    expect(linked.status(), await linked.text()).toBe(201);
  }
  const environments = (await (await request.get(`/api/v1/environments/?project=${projectId}`)).json()) as {
    results: { api_key: string }[];
  };
  envApiKey = environments.results[0]!.api_key;

  const hook = await request.post(`${simProject}/hooks`, {
    data: {
      url: webhookUrl,
      token: config.webhook_secret,
      issues_events: true,
      confidential_issues_events: true,
      merge_requests_events: true,
    },
  });
  expect(hook.status()).toBe(201);
});

test("closing the issue and merging the MR in GitLab changes the feature's tag chips", async ({
  page,
  request,
}) => {
  const chips = page.getByRole("list", { name: `Tags of ${featureName}` });

  await test.step("the linked open issue and open MR show as tags", async () => {
    await page.goto(`/projects/${projectId}/environments/${envApiKey}/features`);
    await expect(chips).toContainText("Issue Open");
    await expect(chips).toContainText("MR Open");
  });

  await test.step("GitLab closes the issue and merges the MR; the chips follow", async () => {
    await simAction(request, "issues", 1, "close");
    await simAction(request, "merge_requests", 1, "merge");
    await expect(async () => {
      await page.reload();
      await expect(chips).toContainText("Issue Closed", { timeout: 2_000 });
      await expect(chips).toContainText("MR Merged", { timeout: 2_000 });
    }).toPass();
    await expect(chips).not.toContainText("Issue Open");
    await expect(chips).not.toContainText("MR Open");
  });

  await test.step("a delivery with a wrong secret, to the URL without its trailing slash, is refused (no redirect)", async () => {
    const refused = await request.post(`/api/v1/gitlab-webhook/${projectId}`, {
      data: { object_kind: "issue" },
      headers: { "x-gitlab-event": "Issue Hook", "x-gitlab-token": "not-the-secret" },
      maxRedirects: 0,
    });
    expect(refused.status()).toBe(401);
  });

  await test.step("the integration page lists the deliveries", async () => {
    await page.goto(`/projects/${projectId}/settings/integrations/gitlab`);
    const panel = page.getByRole("region", { name: "Webhook deliveries" });
    await expect(panel.getByText("Send a test event")).toBeVisible();
    await expect(panel.getByTestId("webhook-rejected-24h")).toHaveText("1");
    await expect(panel.getByTestId("webhook-last-success")).not.toHaveText("never");
    const applied = panel.getByTestId("webhook-delivery").filter({ hasText: "Applied" });
    await expect(
      applied.filter({ hasText: `${DEMO_PROJECT_PATH}#1` }).filter({ hasText: "close" }),
    ).toHaveCount(1);
    await expect(
      applied.filter({ hasText: `${DEMO_PROJECT_PATH}!1` }).filter({ hasText: "merge" }),
    ).toHaveCount(1);
    // Issue 16, item 8: an applied delivery says what it changed; refused requests are counted.
    await expect(
      applied.filter({ hasText: `${DEMO_PROJECT_PATH}#1` }).getByTestId("delivery-changes"),
    ).toContainText(`${featureName}: +Issue Closed −Issue Open`);
    await expect(
      applied.filter({ hasText: `${DEMO_PROJECT_PATH}!1` }).getByTestId("delivery-changes"),
    ).toContainText(`${featureName}: +MR Merged −MR Open`);
    await expect(panel.getByTestId("webhook-delivery").filter({ hasText: "Rejected" })).toHaveCount(0);
    await expect(panel.getByRole("list", { name: "Refused requests per hour" })).toContainText("1 refused");
    for (const width of WIDTHS) {
      await page.setViewportSize(width);
      await panel.scrollIntoViewIfNeeded();
      await expectNoHorizontalOverflow(page);
      await keepScreenshot(page, "deliveries-panel", width);
    }
  });
});
