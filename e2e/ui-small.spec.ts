import { expect, test } from "./support/test";
import { createFeature, createProject, featurePath, type UiProject } from "./support/ui";

// Issue 16, item 9 (the small ones the browser shows): a duplicate name is refused naming the
// field and the value; a project without GitLab tells where the Links tab comes from. (Confidential
// issues: ui-links-tab.spec.ts; the unlinked comment's footer: lib/vcs/status-comment.test.ts.)

test.describe.configure({ mode: "serial" });

let project: UiProject;
let feature: { id: number; name: string };

test.beforeAll(async ({ request, baseURL }) => {
  project = await createProject(request, baseURL!, "Small");
  feature = await createFeature(request, baseURL!, project.projectId);
});

test("a duplicate name is refused naming the field and the value", async ({ page, pageWatch }) => {
  pageWatch.allowHttpError(/\/api\/v1\/environments\/$/, 409);
  await page.goto(`/projects/${project.projectId}/environments`);
  await page.getByRole("button", { name: "Create environment" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Create environment" });
  await dialog.getByLabel("Name").fill("Production");
  await dialog.getByRole("button", { name: "Create environment" }).click();
  await expect(dialog.getByText("Name “Production” is already in use")).toBeVisible();
  await expect(dialog.getByText("Another record already uses")).toHaveCount(0);
});

test("a project without GitLab says where linking issues comes from", async ({ page }) => {
  await page.goto(featurePath(project, feature.id));
  await expect(page.getByRole("tab", { name: "Links" })).toHaveCount(0);
  const hint = page.getByText("Connect GitLab to link issues and merge requests");
  await expect(hint).toBeVisible();
  await page.getByRole("link", { name: "Connect GitLab" }).click();
  await expect(page).toHaveURL(new RegExp(`/projects/${project.projectId}/settings/integrations`));
});
