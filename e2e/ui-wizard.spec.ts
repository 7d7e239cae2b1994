import { DEMO_PROJECT_PATH, DEMO_TOKENS } from "../tools/gitlab-sim/seed";
import { GITLAB_SIM_URL } from "./support/constants";
import { expect, test } from "./support/test";
import { WIDTHS, createProject, expectNoHorizontalOverflow, keepScreenshot } from "./support/ui";

// Issue 16, item 7: the wizard's project step is a searchable combobox used from the keyboard,
// with the token's user as GitLab writes it and the Link button right under it, at both widths.
// Screenshots: e2e/artifacts/wizard-project-step-*.png.

for (const width of WIDTHS) {
  test(`the project step is a keyboard combobox with the button in view (${width.width} px)`, async ({
    page,
    request,
    baseURL,
  }) => {
    const seeded = await request.post(`${GITLAB_SIM_URL}/_sim/seed`);
    expect(seeded.ok()).toBe(true);
    const project = await createProject(request, baseURL!, "Wizard");
    await page.setViewportSize(width);
    await page.goto(`/projects/${project.projectId}/settings/integrations/gitlab`);
    await page.getByLabel("GitLab instance URL").fill(GITLAB_SIM_URL);
    await page.getByLabel("Access token", { exact: true }).fill(DEMO_TOKENS.maintainer);
    await page.getByRole("button", { name: "Save and check connection" }).click();
    const step = page.getByRole("region", { name: "2. Choose the GitLab project" });
    await expect(step).toBeVisible();
    await expect(step).toContainText(/Acts as\s*@\w+/);

    const combobox = page.getByRole("combobox", { name: "GitLab project" });
    await combobox.focus();
    await combobox.pressSequentially("flags-demo");
    await expect(page.getByRole("option", { name: DEMO_PROJECT_PATH })).toBeVisible();
    await keepScreenshot(page, "wizard-project-step", width);
    // The first match is active: arrows move through the results, Enter picks.
    await combobox.press("ArrowDown");
    await combobox.press("ArrowUp");
    await combobox.press("Enter");
    const link = page.getByRole("button", { name: `Link project: ${DEMO_PROJECT_PATH}` });
    await expect(link).toBeInViewport();
    await expectNoHorizontalOverflow(page);
    await link.click();
    await expect(page.getByText(`Linked ${DEMO_PROJECT_PATH}`)).toBeVisible();
  });
}
