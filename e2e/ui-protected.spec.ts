import { expect, test } from "./support/test";
import { createFeature, createProject, featuresPath, type UiProject } from "./support/ui";

// Issue 16, item 4: Production is protected by default; turning a flag on there asks first,
// naming the flag and the environment; every toggle's toast offers Undo; admins change the setting.

test.describe.configure({ mode: "serial" });

let project: UiProject;
let feature: { id: number; name: string };

test.beforeAll(async ({ request, baseURL }) => {
  project = await createProject(request, baseURL!, "Protected");
  feature = await createFeature(request, baseURL!, project.projectId);
});

const production = () => project.environments.find((environment) => environment.name === "Production")!;

test("a toggle in a protected environment asks first; Undo puts it back", async ({ page }) => {
  await page.goto(`/projects/${project.projectId}/environments`);
  await expect(page.getByRole("switch", { name: "Production is protected" })).toBeChecked();
  await expect(page.getByRole("switch", { name: "Development is protected" })).not.toBeChecked();

  await page.goto(featuresPath(project, production().api_key));
  const toggle = page.getByRole("switch", { name: `Toggle ${feature.name} in Production` });
  await toggle.click();
  const dialog = page.getByRole("dialog", { name: `Turn ${feature.name} on in Production?` });
  await expect(dialog).toContainText("Production is a protected environment");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(toggle).not.toBeChecked();

  await toggle.click();
  await page
    .getByRole("dialog", { name: `Turn ${feature.name} on in Production?` })
    .getByRole("button", { name: "Turn on" })
    .click();
  await expect(toggle).toBeChecked();
  const toast = page.getByRole("listitem").filter({ hasText: `${feature.name} turned on in Production` });
  await toast.getByRole("button", { name: "Undo" }).click();
  await expect(page.getByText(`Undone: ${feature.name} is off again in Production`)).toBeVisible();
  await expect(toggle).not.toBeChecked();
});

test("an unprotected environment toggles at once, with Undo; admins protect it", async ({ page }) => {
  await page.goto(featuresPath(project));
  const toggle = page.getByRole("switch", { name: `Toggle ${feature.name} in Development` });
  await toggle.click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(toggle).toBeChecked();
  await page
    .getByRole("listitem")
    .filter({ hasText: `${feature.name} turned on in Development` })
    .getByRole("button", { name: "Undo" })
    .click();
  await expect(toggle).not.toBeChecked();

  await page.goto(`/projects/${project.projectId}/environments`);
  await page.getByRole("switch", { name: "Development is protected" }).click();
  await expect(
    page.getByText("Development is protected: flag changes there ask for confirmation"),
  ).toBeVisible();
  await page.goto(featuresPath(project));
  await page.getByRole("switch", { name: `Toggle ${feature.name} in Development` }).click();
  await expect(page.getByRole("dialog", { name: `Turn ${feature.name} on in Development?` })).toBeVisible();
});
