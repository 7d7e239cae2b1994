import type { APIRequestContext, Page } from "@playwright/test";
import { expect, test } from "./support/test";
import { DEMO_SEARCH_ONLY_PROJECT_PATH, DEMO_TOKENS } from "../tools/gitlab-sim/seed";
import { GITLAB_SIM_URL, uniqueName } from "./support/constants";

// Connecting a project to GitLab in the browser, against the GitLab simulator, as the administrator
// signed in by first-run.spec.ts: the wizard end to end, what a viewer sees, token rotation, and
// deleting and connecting again.

test.describe.configure({ mode: "serial" });

let projectId: number;
let organisationId: number;

const integrationsPage = () => `/projects/${projectId}/settings/integrations`;
const gitlabPage = () => `/projects/${projectId}/settings/integrations/gitlab`;
const hooksOf = async (request: APIRequestContext, path: string) =>
  (await (await request.get(`${GITLAB_SIM_URL}/_sim/projects/${encodeURIComponent(path)}/hooks`)).json()) as {
    id: number;
    url: string;
    token: string;
  }[];
const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

test.beforeAll(async ({ request, baseURL }) => {
  expect((await request.post(`${GITLAB_SIM_URL}/_sim/seed`)).ok()).toBe(true);
  // Cookie-authenticated writes must say where they come from (CSRF check).
  const created = await request.post("/api/v1/projects/", {
    data: { name: uniqueName("GitLab demo"), create_default_environments: true },
    headers: { origin: baseURL! },
  });
  expect(created.status()).toBe(201);
  ({ id: projectId, organisation: organisationId } = (await created.json()) as {
    id: number;
    organisation: number;
  });
});

test("an admin connects GitLab with the wizard and finds everything again later", async ({
  page,
  pageWatch,
  context,
  baseURL,
  request,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  const webhookUrl = `${baseURL}/api/v1/gitlab-webhook/${projectId}/`;
  let secret = "";

  await test.step("the integrations page offers GitLab", async () => {
    await page.goto(integrationsPage());
    await expect(page.getByRole("heading", { name: "GitLab", exact: true })).toBeVisible();
    await page.getByRole("link", { name: "Add integration" }).click();
    await expect(page).toHaveURL(gitlabPage());
    await expect(page.getByRole("heading", { name: "GitLab integration", exact: true })).toBeVisible();
    await expect(page.getByLabel("GitLab instance URL")).toHaveValue("https://gitlab.com");
    await expect(page.getByRole("link", { name: "create a personal access token" })).toHaveAttribute(
      "href",
      "https://gitlab.com/-/user_settings/personal_access_tokens",
    );
  });

  await test.step("a wrong token is refused on its field, nothing is saved", async () => {
    await page.getByLabel("GitLab instance URL").fill(GITLAB_SIM_URL);
    // The refused token is answered 400 and shown on the field.
    pageWatch.allowHttpError(/\/integrations\/gitlab\/$/, 400);
    await page.getByLabel("Access token", { exact: true }).fill("glpat-this-is-not-it");
    await page.getByRole("button", { name: "Save and check connection" }).click();
    await expect(page.getByText("GitLab did not accept the access token")).toBeVisible();
    await expect(page.getByLabel("Access token", { exact: true })).toHaveAttribute("aria-invalid", "true");
  });

  await test.step("the demo token connects and GitLab says what it is", async () => {
    await page.getByLabel("Access token", { exact: true }).fill(DEMO_TOKENS.maintainer);
    await page.getByRole("button", { name: "Save and check connection" }).click();
    await expect(page.getByRole("region", { name: "2. Choose the GitLab project" })).toBeVisible();
    await expect(page.getByTestId("token-name")).toHaveText("Flagpost");
    await expect(page.getByTestId("token-expiry")).not.toHaveText("never");
  });

  await test.step("the project on page 2 is found by searching, and linked", async () => {
    const combobox = page.getByRole("combobox", { name: "GitLab project" });
    await combobox.click();
    await expect(page.getByRole("option").first()).toBeVisible();
    await expect(page.getByRole("option", { name: DEMO_SEARCH_ONLY_PROJECT_PATH })).toHaveCount(0);
    await expect(page.getByText("More projects: type to search them.")).toBeVisible();
    await combobox.fill("checkout");
    await page.getByRole("option", { name: DEMO_SEARCH_ONLY_PROJECT_PATH }).click();
    await page.getByRole("button", { name: /^Link project/ }).click();
    await expect(page.getByText(`Linked ${DEMO_SEARCH_ONLY_PROJECT_PATH}`)).toBeVisible();
  });

  await test.step("tagging is turned on", async () => {
    const tagging = page.getByRole("switch", {
      name: "Tag features with the state of their linked issues and merge requests",
    });
    await expect(page.getByRole("list", { name: "GitLab tags" })).toContainText("MR Draft");
    await tagging.click();
    await expect(tagging).toHaveAttribute("aria-checked", "true");
    await expect(page.getByText("Automatic tagging is on")).toBeVisible();
    await page.getByRole("button", { name: "Continue" }).click();
  });

  await test.step("the webhook URL and secret are copied to the clipboard", async () => {
    await expect(page.getByTestId("webhook-url")).toHaveText(webhookUrl);
    await page.getByRole("button", { name: "Copy webhook url" }).click();
    await expect(page.getByText("Webhook URL copied to the clipboard")).toBeVisible();
    expect(await clipboard(page)).toBe(webhookUrl);

    await expect(page.getByTestId("webhook-secret")).toHaveText(/^•+$/);
    await page.getByRole("button", { name: "Show secret" }).click();
    secret = (await page.getByTestId("webhook-secret").textContent()) ?? "";
    expect(secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    await page.getByRole("button", { name: "Copy webhook secret" }).click();
    await expect(page.getByText("Webhook secret copied to the clipboard")).toBeVisible();
    expect(await clipboard(page)).toBe(secret);
    await expect(page.getByText("Issues events", { exact: true })).toBeVisible();
  });

  await test.step("Flagpost creates the webhook in GitLab", async () => {
    await page.getByRole("button", { name: "Create the webhook for me" }).click();
    await expect(page.getByText("Webhook created in GitLab")).toBeVisible();
    const hooks = await hooksOf(request, DEMO_SEARCH_ONLY_PROJECT_PATH);
    expect(hooks).toEqual([expect.objectContaining({ url: webhookUrl, token: secret })]);
    await page.getByRole("button", { name: "Finish" }).click();
    await expect(page.getByRole("region", { name: "Connection" })).toBeVisible();
  });

  await test.step("after leaving and coming back, the integration shows the same facts", async () => {
    await page.goto("/projects");
    await page.goto(integrationsPage());
    await page.getByRole("link", { name: "Manage integration" }).click();
    await expect(page.getByTestId("linked-project")).toHaveText(DEMO_SEARCH_ONLY_PROJECT_PATH);
    await expect(
      page.getByRole("switch", {
        name: "Tag features with the state of their linked issues and merge requests",
      }),
    ).toHaveAttribute("aria-checked", "true");
    await expect(page.getByLabel("Comments in GitLab")).toHaveValue("STATUS_NOTE");
    await expect(page.getByTestId("webhook-url")).toHaveText(webhookUrl);
    await page.getByRole("button", { name: "Show secret" }).click();
    await expect(page.getByTestId("webhook-secret")).toHaveText(secret);
    await expect(page.getByTestId("token-name")).toHaveText("Flagpost");
  });
});

test("a viewer cannot open the wizard", async ({ browser, request, baseURL }) => {
  const email = `${uniqueName("viewer")}@flagpost.test`;
  const password = "viewer password 123";
  const user = await request.post(`/api/v1/organisations/${organisationId}/users/`, {
    data: { email, password, name: "Vera Viewer", role: "MEMBER" },
    headers: { origin: baseURL! },
  });
  expect(user.status()).toBe(201);
  const member = await request.post(`/api/v1/projects/${projectId}/members/`, {
    data: { user: ((await user.json()) as { id: number }).id, role: "VIEWER" },
    headers: { origin: baseURL! },
  });
  expect(member.status()).toBe(201);

  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/projects/);

  await page.goto(integrationsPage());
  await expect(page.getByText("Project administrators can set this up.")).toBeVisible();
  await expect(page.getByRole("link", { name: /integration$/ })).toHaveCount(0);

  await page.goto(gitlabPage());
  await expect(page.getByText("Only project administrators can set up GitLab")).toBeVisible();
  await expect(page.getByLabel("Access token", { exact: true })).toHaveCount(0);
  await expect(page.getByText(DEMO_SEARCH_ONLY_PROJECT_PATH)).toHaveCount(0);
  await context.close();
});

test("rotating the token checks the new one first", async ({ pageWatch, page }) => {
  await page.goto(gitlabPage());
  await page.getByRole("button", { name: "Rotate token" }).click();
  const dialog = page.getByRole("dialog", { name: "Rotate the access token" });
  // The expired token is refused with 400 and explained in the dialog.
  pageWatch.allowHttpError(/\/integrations\/gitlab\/\d+\/$/, 400);
  await dialog.getByLabel("New access token").fill(DEMO_TOKENS.expired);
  await dialog.getByRole("button", { name: "Replace token" }).click();
  await expect(dialog.getByText(/has expired/)).toBeVisible();
  await expect(page.getByTestId("token-name")).toHaveText("Flagpost");

  // A group token with Maintainer on acme, like the first one, but expiring in five days.
  const expiresAt = new Date(Date.now() + 5 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
  const replacement = await page.request.post(`${GITLAB_SIM_URL}/_sim/tokens`, {
    data: {
      value: "glpat-flagpost-e2e-rotated",
      name: "Flagpost rotated",
      scopes: ["api"],
      expires_at: expiresAt,
      groups: [{ id: "acme", access_level: 40 }],
    },
  });
  expect(replacement.ok()).toBe(true);
  await dialog.getByLabel("New access token").fill("glpat-flagpost-e2e-rotated");
  await dialog.getByRole("button", { name: "Replace token" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText("Access token rotated")).toBeVisible();
  await expect(page.getByTestId("token-name")).toHaveText("Flagpost rotated");
  await expect(page.getByText(/The token expires on .*rotate it here before then/)).toBeVisible();
  await expect(page.getByTestId("token-expiry")).toContainText("Expires soon");
});

test("deleting removes the webhook, and connecting again works", async ({ page, request }) => {
  await page.goto(gitlabPage());
  await page.getByRole("button", { name: "Delete integration" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete the GitLab integration?" });
  await expect(dialog).toContainText("the stored access token");
  await expect(dialog).toContainText(`the webhook Flagpost created on ${DEMO_SEARCH_ONLY_PROJECT_PATH}`);
  await expect(dialog).toContainText("0 linked issues and merge requests");
  await dialog.getByRole("button", { name: "Delete integration" }).click();
  await expect(page.getByText("GitLab integration deleted")).toBeVisible();
  expect(await hooksOf(request, DEMO_SEARCH_ONLY_PROJECT_PATH)).toEqual([]);

  await expect(page.getByRole("region", { name: "1. Connect to GitLab" })).toBeVisible();
  await page.getByLabel("GitLab instance URL").fill(GITLAB_SIM_URL);
  await page.getByLabel("Access token", { exact: true }).fill(DEMO_TOKENS.maintainer);
  await page.getByRole("button", { name: "Save and check connection" }).click();
  await expect(page.getByRole("region", { name: "2. Choose the GitLab project" })).toBeVisible();

  await page.goto(integrationsPage());
  await expect(page.getByRole("link", { name: "Manage integration" })).toBeVisible();
});
