import { ADMIN } from "./support/constants";
import { expect, test } from "./support/test";
import { createFeature, createProject, featurePath } from "./support/ui";

// Issue 16, item 1: a link from a GitLab comment opens a feature page; signed out, the visitor
// signs in and lands on that page, never on another site.

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("sign-in returns to the page asked for", async ({ page, playwright, baseURL }) => {
    // The signed-in admin's API context sets the feature up.
    const admin = await playwright.request.newContext({
      baseURL,
      storageState: "test-results/.auth/admin.json",
    });
    const project = await createProject(admin, baseURL!, "Deep");
    const feature = await createFeature(admin, baseURL!, project.projectId);
    await admin.dispose();
    const target = featurePath(project, feature.id, "history");

    await page.goto(target);
    await expect(page).toHaveURL(
      (url) => url.pathname === "/login" && url.searchParams.get("callbackUrl") === target,
    );
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL((url) => `${url.pathname}${url.search}` === target);
    await expect(page.getByRole("heading", { name: feature.name })).toBeVisible();
    await expect(page.getByRole("tab", { name: "History", selected: true })).toBeVisible();
  });

  for (const evil of ["//evil.example/x", "https://evil.example/", "/\\evil.example"]) {
    test(`sign-in never follows ${evil} off the site`, async ({ page }) => {
      await page.goto(`/login?callbackUrl=${encodeURIComponent(evil)}`);
      await page.getByLabel("Email").fill(ADMIN.email);
      await page.getByLabel("Password").fill(ADMIN.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page).toHaveURL(/^http:\/\/localhost:\d+\/projects$/);
    });
  }
});
