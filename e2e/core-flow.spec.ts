import type { Page } from "@playwright/test";
import { expect, test } from "./support/test";
import { uniqueName } from "./support/constants";

// The core product end to end, as the signed-in administrator from first-run.spec.ts: a project
// with default environments, a new environment, a feature toggled in one environment only, a value
// edit, a segment with an override, and the audit trail of all of it.

const environmentSelect = (page: Page) => page.getByRole("combobox", { name: "Environment", exact: true });
const projectNav = (page: Page) => page.getByRole("navigation", { name: "Project" });

async function switchEnvironment(page: Page, name: string) {
  await environmentSelect(page).selectOption({ label: name });
  await expect(environmentSelect(page).locator("option:checked")).toHaveText(name);
  await expect(page.getByRole("heading", { name: "Features", exact: true })).toBeVisible();
}

test("manage a feature across environments and see it in the audit log", async ({ page }) => {
  const projectName = uniqueName("Shop");
  const featureName = uniqueName("new_checkout");
  const segmentName = uniqueName("Beta testers");

  await test.step("create a project with Development and Production", async () => {
    await page.goto("/projects");
    await page.getByRole("button", { name: "Create project" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Create project" });
    await dialog.getByLabel("Name").fill(projectName);
    await expect(dialog.getByLabel("Create Development and Production environments")).toBeChecked();
    await dialog.getByRole("button", { name: "Create project" }).click();
    // A project opens on its first environment's features.
    await expect(page).toHaveURL(/\/projects\/\d+\/environments\/[^/]+\/features$/);
    await expect(page.getByRole("heading", { name: "Features", exact: true })).toBeVisible();
    await expect(environmentSelect(page).locator("option:checked")).toHaveText("Development");
    await expect(page.getByRole("navigation", { name: "Breadcrumb" })).toContainText(projectName);
  });

  await test.step("add a Staging environment", async () => {
    await projectNav(page).getByRole("link", { name: "Environments" }).click();
    await expect(page.getByRole("heading", { name: "Environments", exact: true })).toBeVisible();
    await expect(page.getByRole("link", { name: "Production", exact: true })).toBeVisible();
    await page.getByRole("button", { name: "Create environment" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Create environment" });
    await dialog.getByLabel("Name").fill("Staging");
    await dialog.getByRole("button", { name: "Create environment" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("link", { name: "Staging", exact: true })).toBeVisible();
  });

  await test.step("create a feature with a string value", async () => {
    await switchEnvironment(page, "Staging");
    await page.getByRole("button", { name: "Create feature" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Create feature" });
    await dialog.getByLabel("Name", { exact: true }).fill(featureName);
    await dialog.getByLabel("Description").fill("The redesigned checkout flow");
    await dialog.getByLabel("Initial value type").selectOption({ label: "String" });
    await dialog.getByLabel("Initial value", { exact: true }).fill("blue");
    await dialog.getByRole("button", { name: "Create feature" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("link", { name: featureName, exact: true })).toBeVisible();
    await expect(page.getByRole("button", { name: `Edit value of ${featureName} in Staging` })).toHaveText(
      "blue",
    );
  });

  await test.step("turn it on in Staging only", async () => {
    const toggle = page.getByRole("switch", { name: `Toggle ${featureName} in Staging` });
    await expect(toggle).toHaveAttribute("aria-checked", "false");
    await toggle.click();
    await expect(toggle).toHaveAttribute("aria-checked", "true");
    await expect(page.getByText(`${featureName} turned on in Staging`)).toBeVisible();
    await page.reload();
    await expect(page.getByRole("switch", { name: `Toggle ${featureName} in Staging` })).toHaveAttribute(
      "aria-checked",
      "true",
    );

    for (const environment of ["Development", "Production"]) {
      await switchEnvironment(page, environment);
      await page.reload();
      await expect(
        page.getByRole("switch", { name: `Toggle ${featureName} in ${environment}` }),
      ).toHaveAttribute("aria-checked", "false");
    }
  });

  await test.step("edit its value in Production (protected: it asks first)", async () => {
    await page.getByRole("button", { name: `Edit value of ${featureName} in Production` }).click();
    const input = page.getByRole("textbox", { name: `Value of ${featureName} in Production` });
    await expect(input).toHaveValue("blue");
    await input.fill("green");
    await input.press("Enter");
    // Production is protected: the change asks first.
    await page
      .getByRole("dialog", { name: `Change the value of ${featureName} in Production?` })
      .getByRole("button", { name: "Change value" })
      .click();
    await expect(page.getByText(`${featureName} in Production is now "green"`)).toBeVisible();
    await page.reload();
    await expect(page.getByRole("button", { name: `Edit value of ${featureName} in Production` })).toHaveText(
      "green",
    );
  });

  await test.step("create a segment", async () => {
    await projectNav(page).getByRole("link", { name: "Segments" }).click();
    await expect(page.getByRole("heading", { name: "Segments", exact: true })).toBeVisible();
    await page.getByRole("button", { name: "Create segment" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Create segment" });
    await dialog.getByLabel("Name").fill(segmentName);
    await dialog.getByRole("button", { name: "Add rule group" }).click();
    await dialog.getByLabel("Condition 1.1 property").fill("beta");
    await dialog.getByLabel("Condition 1.1 value").fill("true");
    await dialog.getByRole("button", { name: "Create segment" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("cell", { name: segmentName, exact: true })).toBeVisible();
  });

  await test.step("add a segment override in Production", async () => {
    // "Features" leads back to the environment used last (Production).
    await projectNav(page).getByRole("link", { name: "Features" }).click();
    await expect(environmentSelect(page).locator("option:checked")).toHaveText("Production");
    await page.getByRole("link", { name: featureName, exact: true }).click();
    await expect(page.getByRole("heading", { name: featureName, exact: true })).toBeVisible();
    await page.getByRole("tab", { name: "Segment overrides" }).click();
    await expect(page.getByRole("tab", { name: "Segment overrides" })).toHaveAttribute(
      "aria-selected",
      "true",
    );
    await page.getByRole("button", { name: "Add segment override" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Add segment override" });
    await dialog.getByLabel("Segment", { exact: true }).selectOption({ label: segmentName });
    await dialog.getByLabel("Override value type").selectOption({ label: "String" });
    await dialog.getByLabel("Override value", { exact: true }).fill("purple");
    await dialog.getByRole("button", { name: "Add override" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("cell", { name: segmentName, exact: true })).toBeVisible();
    await expect(
      page.getByRole("switch", { name: `Toggle ${featureName} for segment ${segmentName}` }),
    ).toHaveAttribute("aria-checked", "true");
    await expect(
      page.getByRole("button", { name: `Edit value of ${featureName} for segment ${segmentName}` }),
    ).toHaveText("purple");
  });

  await test.step("the audit log shows every step", async () => {
    await projectNav(page).getByRole("link", { name: "Audit log" }).click();
    await expect(page.getByRole("heading", { name: "Audit log", exact: true })).toBeVisible();
    const rows = page.getByRole("row");
    for (const summary of [
      `Created project ${projectName}`,
      "Created environment Development",
      "Created environment Production",
      "Created environment Staging",
      `Created feature ${featureName}`,
      `Enabled ${featureName} in Staging`,
      `Changed value of ${featureName} in Production`,
      `Created segment ${segmentName}`,
      `Added segment override ${segmentName} to ${featureName} in Production`,
    ]) {
      await expect(rows.filter({ hasText: summary }).first()).toBeVisible();
    }

    await test.step("filtering by environment narrows the entries", async () => {
      await page.getByLabel("Filter by environment").selectOption({ label: "Staging" });
      await expect(page).toHaveURL(/environment=\d+/);
      await expect(rows.filter({ hasText: `Enabled ${featureName} in Staging` })).toBeVisible();
      await expect(rows.filter({ hasText: `Changed value of ${featureName} in Production` })).toHaveCount(0);
    });
  });
});
