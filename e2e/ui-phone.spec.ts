import { expect, test } from "./support/test";
import {
  WIDTHS,
  createFeature,
  createProject,
  expectInsideViewport,
  expectNoHorizontalOverflow,
  featurePath,
  featuresPath,
  keepScreenshot,
  type UiProject,
} from "./support/ui";

// Issue 16, item 3: at 390 px the features list keeps each flag's name and Enabled switch on
// screen, the feature's tabs scroll to the active one, and "Delete feature" sits in a menu.
// Screenshots: e2e/artifacts/features-list-*.png.

test.describe.configure({ mode: "serial" });

let project: UiProject;
let feature: { id: number; name: string };

test.beforeAll(async ({ request, baseURL }) => {
  project = await createProject(request, baseURL!, "Phone");
  feature = await createFeature(request, baseURL!, project.projectId, "a_rather_long_checkout_flag_name");
  await createFeature(request, baseURL!, project.projectId, "dark_mode");
});

for (const width of WIDTHS) {
  test(`the features list keeps name and switch on screen (${width.width} px)`, async ({ page }) => {
    await page.setViewportSize(width);
    await page.goto(featuresPath(project));
    const name = page.getByRole("link", { name: feature.name, exact: true });
    const toggle = page.getByRole("switch", { name: `Toggle ${feature.name} in Development` });
    // The first load can be slow on a busy machine.
    await expect(name).toBeVisible({ timeout: 30_000 });
    await expect(toggle).toBeVisible();
    await expectInsideViewport(page, name);
    await expectInsideViewport(page, toggle);
    await expectNoHorizontalOverflow(page);
    await keepScreenshot(page, "features-list", width);
  });
}

test("on a phone the active tab is scrolled into view and delete is in a menu", async ({ page }) => {
  await page.setViewportSize(WIDTHS[1]);
  await page.goto(featurePath(project, feature.id, "history"));
  const active = page.getByRole("tab", { name: "History", selected: true });
  await expect(active).toBeVisible();
  await expect
    .poll(async () => {
      const box = await active.boundingBox();
      return box !== null && box.x >= 0 && box.x + box.width <= WIDTHS[1].width;
    })
    .toBe(true);
  await expectNoHorizontalOverflow(page);

  await expect(page.getByRole("button", { name: /^Delete feature/ })).toHaveCount(0);
  await page.getByRole("button", { name: `More actions for ${feature.name}` }).click();
  const remove = page.getByRole("menuitem", { name: "Delete feature…" });
  await expectInsideViewport(page, remove);
  await remove.click();
  await expect(page.getByRole("dialog", { name: `Delete feature ${feature.name}?` })).toBeVisible();
  await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
});
