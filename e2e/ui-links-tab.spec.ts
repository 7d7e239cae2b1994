import type { APIRequestContext } from "@playwright/test";
import { DEMO_PROJECT_PATH, DEMO_SEARCH_ONLY_PROJECT_PATH, DEMO_TOKENS } from "../tools/gitlab-sim/seed";
import { GITLAB_SIM_URL } from "./support/constants";
import { expect, test } from "./support/test";
import {
  WIDTHS,
  createFeature,
  createProject,
  expectNoHorizontalOverflow,
  featurePath,
  keepScreenshot,
  type UiProject,
} from "./support/ui";

// Issue 16, items 2 and 9: the Links tab shows the linked items with their live state first and
// one compact "Link issue or MR" field under them; confidential issues are marked; "Create cleanup
// issue" is offered once at most. Screenshots at 1440 and 390 px: e2e/artifacts/links-tab-*.png.

test.describe.configure({ mode: "serial" });

let project: UiProject;
let feature: { id: number; name: string };

async function connect(request: APIRequestContext, origin: string, projectId: number) {
  const seeded = await request.post(`${GITLAB_SIM_URL}/_sim/seed`);
  expect(seeded.ok()).toBe(true);
  const gitlabProjectId = ((await seeded.json()) as { projectId: number }).projectId;
  const integration = await request.post(`/api/v1/projects/${projectId}/integrations/gitlab/`, {
    data: {
      gitlab_instance_url: GITLAB_SIM_URL,
      access_token: DEMO_TOKENS.maintainer,
      gitlab_project_id: gitlabProjectId,
      tagging_enabled: true,
    },
    headers: { origin },
  });
  expect(integration.status(), await integration.text()).toBe(201);
}

test.beforeAll(async ({ request, baseURL }) => {
  project = await createProject(request, baseURL!, "Links UI");
  await connect(request, baseURL!, project.projectId);
  feature = await createFeature(request, baseURL!, project.projectId);
  for (const url of ["#1", "!3", `${GITLAB_SIM_URL}/${DEMO_PROJECT_PATH}/-/issues/2`]) {
    const linked = await request.post(
      `/api/v1/projects/${project.projectId}/features/${feature.id}/feature-external-resources/`,
      { data: { url, type: url === "!3" ? "GITLAB_MR" : "GITLAB_ISSUE" }, headers: { origin: baseURL! } },
    );
    expect(linked.status(), await linked.text()).toBe(201);
  }
});

for (const width of WIDTHS) {
  test(`linked items come first, the link field after them (${width.width} px)`, async ({ page }) => {
    await page.setViewportSize(width);
    await page.goto(featurePath(project, feature.id, "links"));
    const list = page.getByRole("list", { name: `Issues and merge requests linked to ${feature.name}` });
    const field = page.getByRole("combobox", { name: "Link issue or MR" });
    await expect(list.getByRole("listitem")).toHaveCount(3);
    await expect(field).toBeVisible();
    const listBox = (await list.boundingBox())!;
    const fieldBox = (await field.boundingBox())!;
    expect(listBox.y).toBeLessThan(fieldBox.y);

    // GitLab's state colours: open green, closed issue blue, merged purple.
    await expect(page.getByTestId("linked-item-#1").getByText("Open", { exact: true })).toHaveClass(
      /emerald/,
    );
    await expect(page.getByTestId("linked-item-#2").getByText("Closed", { exact: true })).toHaveClass(/blue/);
    await expect(page.getByTestId("linked-item-!3").getByText("Merged", { exact: true })).toHaveClass(
      /purple/,
    );

    // Not stale yet: no cleanup button anywhere, a line says why.
    await expect(page.getByRole("button", { name: "Create cleanup issue" })).toHaveCount(0);
    await expect(page.getByText("A cleanup issue is offered once the flag is stale")).toBeVisible();
    // Each row's Unlink is reachable, nothing scrolls sideways.
    for (const reference of ["#1", "#2", "!3"])
      await expect(
        page.getByRole("button", { name: `Unlink ${DEMO_PROJECT_PATH}${reference}` }),
      ).toBeVisible();
    await expectNoHorizontalOverflow(page);
    await keepScreenshot(page, "links-tab", width);

    // Results open in a popover under the field.
    await field.fill("checkout");
    await expect(page.getByRole("option", { name: /^#1 .*\(already linked\)$/ })).toBeVisible();
    await keepScreenshot(page, "links-tab-search", width);
  });
}

test("the picker marks confidential issues", async ({ page }) => {
  await page.goto(featurePath(project, feature.id, "links"));
  await page.getByRole("combobox", { name: "Link issue or MR" }).fill("leaks user ids");
  const option = page.getByRole("option", { name: /Flag evaluation leaks user ids in logs/ });
  await expect(option).toContainText("Confidential");
});

test("icons come from the icon set, not emoji; the site has a favicon", async ({ page, request }) => {
  await page.goto(featurePath(project, feature.id, "tags"));
  const systemTags = page.getByRole("region", { name: "System tags" });
  await expect(systemTags.getByRole("img", { name: "System tag" }).first()).toBeVisible();
  await expect(systemTags.locator("svg").first()).toBeVisible();
  await page.goto(`/projects/${project.projectId}/environments/${project.envApiKey}/features`);
  await expect(page.getByRole("img", { name: "3 linked GitLab issues and merge requests" })).toBeVisible();
  expect(await page.locator("body").innerText()).not.toMatch(/[🔒🔗▯✓]/u);

  const icon = page.locator('link[rel="icon"]');
  await expect(icon).toHaveAttribute("href", /icon\.svg/);
  const answer = await request.get((await icon.getAttribute("href"))!);
  expect(answer.status()).toBe(200);
  expect(answer.headers()["content-type"]).toContain("image/svg+xml");
});

test("the field searches another GitLab project named by its path, and takes its full references", async ({
  page,
}) => {
  await page.goto(featurePath(project, feature.id, "links"));
  const field = page.getByRole("combobox", { name: "Link issue or MR" });
  await field.fill(`${DEMO_SEARCH_ONLY_PROJECT_PATH} double`);
  await page
    .getByRole("option", { name: `${DEMO_SEARCH_ONLY_PROJECT_PATH}#1 Checkout button double-submits` })
    .click();
  await expect(page.getByRole("button", { name: `Unlink ${DEMO_SEARCH_ONLY_PROJECT_PATH}#1` })).toBeVisible();
  await expect(field).toHaveValue("");

  // A full reference looks the item up in its project: it shows its title, marked as linked.
  await field.fill(`${DEMO_SEARCH_ONLY_PROJECT_PATH}#1`);
  await expect(
    page.getByRole("option", {
      name: `${DEMO_SEARCH_ONLY_PROJECT_PATH}#1 Checkout button double-submits (already linked)`,
    }),
  ).toBeVisible();
  // The integration's own project is still searched beside it.
  await field.fill("checkout");
  await expect(page.getByRole("option", { name: /^#1 .*\(already linked\)$/ })).toBeVisible();
});
