import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./support/test";
import { DEMO_PROJECT_PATH, DEMO_TOKENS, type DemoSeed } from "../tools/gitlab-sim/seed";
import { GITLAB_SIM_URL, uniqueName } from "./support/constants";

// Flag cleanup through GitLab, against the simulator and the production server's test clock (no
// sleeps): a flag's merge request merges in GitLab (the simulator delivers the webhook), fifteen
// days pass on the server's clock, the flag shows in the stale view with the reason, a cleanup
// issue is created from there with an assignee, GitLab has it with the generated body and the
// feature's Links tab shows it; closing it in GitLab makes the flag "Ready to delete", and
// archiving moves it to the archived features.

test.describe.configure({ mode: "serial" });

const simProject = `${GITLAB_SIM_URL}/_sim/projects/${encodeURIComponent(DEMO_PROJECT_PATH)}`;
let seed: DemoSeed;
let projectId: number;
let featureId: number;
let featureName: string;
let envApiKey: string;
let mrIid: number;

/** A change made in GitLab by a person (not Flagpost's token user); answers once our webhook answered. */
async function simAction(
  request: APIRequestContext,
  kind: "issues" | "merge_requests",
  iid: number,
  action: string,
) {
  const answer = await request.post(`${simProject}/${kind}/${iid}/actions`, {
    data: { action, userId: seed.users.alice },
  });
  expect(answer.ok(), await answer.text()).toBe(true);
  const { deliveries } = (await answer.json()) as { deliveries: { response: { status: number } | null }[] };
  expect(deliveries.map((delivery) => delivery.response?.status)).toContain(200);
}

test.beforeAll(async ({ request, baseURL }) => {
  const headers = { origin: baseURL! };
  const seeded = await request.post(`${GITLAB_SIM_URL}/_sim/seed`);
  expect(seeded.ok()).toBe(true);
  seed = (await seeded.json()) as DemoSeed;
  expect((await request.delete("/api/internal/test-clock")).ok()).toBe(true);

  const project = await request.post("/api/v1/projects/", {
    data: { name: uniqueName("Cleanup"), create_default_environments: true },
    headers,
  });
  expect(project.status()).toBe(201);
  projectId = ((await project.json()) as { id: number }).id;
  const integration = await request.post(`/api/v1/projects/${projectId}/integrations/gitlab/`, {
    data: {
      gitlab_instance_url: GITLAB_SIM_URL,
      access_token: DEMO_TOKENS.maintainer,
      gitlab_project_id: seed.projectId,
      tagging_enabled: true,
    },
    headers,
  });
  expect(integration.status(), await integration.text()).toBe(201);
  const config = (await integration.json()) as { webhook_url: string; webhook_secret: string };
  const hook = await request.post(`${simProject}/hooks`, {
    data: {
      url: config.webhook_url,
      token: config.webhook_secret,
      issues_events: true,
      confidential_issues_events: true,
      merge_requests_events: true,
    },
  });
  expect(hook.status()).toBe(201);

  featureName = uniqueName("old_checkout");
  const feature = await request.post(`/api/v1/projects/${projectId}/features/`, {
    data: { name: featureName, description: "Gates the old checkout during the migration." },
    headers,
  });
  expect(feature.status()).toBe(201);
  featureId = ((await feature.json()) as { id: number }).id;
  const mr = await request.post(`${simProject}/merge_requests`, {
    data: {
      title: `Remove the old checkout behind ${featureName}`,
      source_branch: featureName,
      author_id: seed.users.bob,
    },
  });
  expect(mr.status()).toBe(201);
  mrIid = ((await mr.json()) as { iid: number }).iid;
  const linked = await request.post(
    `/api/v1/projects/${projectId}/features/${featureId}/feature-external-resources/`,
    { data: { url: `!${mrIid}`, type: "GITLAB_MR" }, headers },
  );
  expect(linked.status(), await linked.text()).toBe(201);
  const environments = (await (await request.get(`/api/v1/environments/?project=${projectId}`)).json()) as {
    results: { api_key: string }[];
  };
  envApiKey = environments.results[0]!.api_key;
});

test.afterAll(async ({ request }) => {
  // The clock is the server's: give the specs after this one their own time back.
  await request.delete("/api/internal/test-clock");
});

test("a flag goes stale after its MR merges, gets a cleanup issue in GitLab, and is archived once that issue closes", async ({
  page,
  request,
}) => {
  const row = page.getByTestId(`stale-flag-${featureName}`);
  let issueIid = 0;

  await test.step("the MR merges in GitLab; the flag is not stale yet", async () => {
    await simAction(request, "merge_requests", mrIid, "merge");
    await page.goto(`/projects/${projectId}/stale-flags`);
    await expect(page.getByRole("heading", { name: "Stale flags", level: 1 })).toBeVisible();
    await expect(page.getByText("No stale flags")).toBeVisible();
  });

  await test.step("fifteen days later (the server's clock) it is listed with the reason", async () => {
    const advanced = await request.post("/api/internal/test-clock", { data: { advance_days: 15 } });
    expect(advanced.ok(), await advanced.text()).toBe(true);
    await page.reload();
    await expect(row).toContainText(
      new RegExp(
        `MR !${mrIid} merged 15 days ago; disabled in all 2 environments since \\d{4}-\\d\\d-\\d\\d`,
      ),
    );
    await expect(row).toContainText("None yet");
    await page.goto(`/projects/${projectId}/environments/${envApiKey}/features`);
    await expect(
      page.getByRole("row").filter({ hasText: featureName }).getByText("Stale", { exact: true }),
    ).toBeVisible();
  });

  await test.step("a cleanup issue is created from the stale view with an assignee, previewed first", async () => {
    await page.goto(`/projects/${projectId}/stale-flags`);
    await row.getByRole("button", { name: `Create cleanup issue for ${featureName}` }).click();
    const dialog = page.getByRole("dialog", { name: "Create cleanup issue" });
    await expect(dialog.getByLabel("Title")).toHaveValue(`Remove feature flag \`${featureName}\``);
    const description = dialog.getByRole("textbox", { name: "Description" });
    await expect(description).toHaveValue(
      new RegExp(`- \\[ \\] Remove the code paths that read \`${featureName}\``),
    );
    // Plain Markdown to edit: no backslashes before sigils or dates.
    await expect(description).toHaveValue(new RegExp(`MR !${mrIid} merged 15 days ago`));
    await expect(description).not.toHaveValue(/\\[!#-]/);
    await dialog.getByRole("button", { name: "Preview" }).click();
    const preview = dialog.getByRole("region", { name: "Description preview" });
    await expect(preview.getByRole("heading", { name: "Checklist" })).toBeVisible();
    await expect(preview.getByRole("table")).toContainText("Production");
    await expect(preview).toContainText("Gates the old checkout during the migration.");
    await dialog.getByRole("searchbox", { name: "Search project members" }).fill("bob");
    await dialog.getByRole("checkbox", { name: "Bob Developer (@bob)" }).check();
    await expect(dialog.getByRole("list", { name: "Chosen assignees" })).toContainText("@bob");
    await dialog.getByLabel("Labels").fill("cleanup");
    await dialog.getByRole("button", { name: "Create issue" }).click();

    const toast = page
      .getByRole("region", { name: /^Notifications/ })
      .getByRole("listitem")
      .filter({ hasText: `and linked it to ${featureName}` });
    await expect(toast).toBeVisible();
    const link = toast.getByRole("link", { name: /^Open acme\/platform\/flags-demo#\d+ in GitLab/ });
    issueIid = Number(/#(\d+)/.exec((await link.textContent()) ?? "")?.[1]);
    expect(issueIid).toBeGreaterThan(0);
    await expect(dialog).toBeHidden();
    await expect(row).toContainText(`#${issueIid}`);
  });

  await test.step("GitLab has the issue with the generated body and the assignee", async () => {
    const issue = (await (await request.get(`${simProject}/issues/${issueIid}`)).json()) as {
      title: string;
      description: string;
      assignees: { username: string }[];
      labels: string[];
    };
    expect(issue.title).toBe(`Remove feature flag \`${featureName}\``);
    expect(issue.description).toContain(`Flagpost suggests removing the feature flag \`${featureName}\``);
    expect(issue.description).toContain(`- [ ] Remove the code paths that read \`${featureName}\``);
    expect(issue.description).toMatch(new RegExp(`Merge request \\[acme/platform/flags-demo!${mrIid}\\]`));
    expect(issue.assignees.map((user) => user.username)).toEqual(["bob"]);
    expect(issue.labels).toContain("cleanup");
  });

  await test.step("the feature's Links tab shows it as the cleanup issue", async () => {
    await page.goto(`/projects/${projectId}/environments/${envApiKey}/features/${featureId}?tab=links`);
    const linkRow = page.getByTestId(`linked-item-#${issueIid}`);
    await expect(linkRow).toContainText(`Remove feature flag`);
    await expect(linkRow.getByText("Cleanup issue")).toBeVisible();
    await expect(linkRow.getByText("Open", { exact: true })).toBeVisible();
  });

  await test.step("closing the issue in GitLab shows Ready to delete; Archive moves it to the archived features", async () => {
    await simAction(request, "issues", issueIid, "close");
    await page.reload();
    const banner = page.getByRole("region", { name: "Ready to delete" });
    await expect(banner).toBeVisible();
    await page.goto(`/projects/${projectId}/environments/${envApiKey}/features`);
    const listed = page.getByRole("row").filter({ hasText: featureName });
    await expect(listed.getByText("Ready to delete")).toBeVisible();

    await listed.getByRole("link", { name: featureName }).click();
    await page
      .getByRole("region", { name: "Ready to delete" })
      .getByRole("button", { name: "Archive" })
      .click();
    await expect(page.getByRole("region", { name: "Archived" })).toBeVisible();

    await page.goto(`/projects/${projectId}/environments/${envApiKey}/features`);
    // It was the project's only flag: the active list is empty now.
    await expect(page.getByText("No features yet")).toBeVisible();
    await page.getByLabel("Show").selectOption("archived");
    const archived = page.getByRole("row").filter({ hasText: featureName });
    await expect(archived.getByText("Archived", { exact: true })).toBeVisible();
    await expect(archived.getByRole("button", { name: `Restore ${featureName}` })).toBeVisible();
  });
});
