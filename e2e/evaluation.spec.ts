import type { Page } from "@playwright/test";
import { expect, test } from "./support/test";
import { uniqueName } from "./support/constants";

// Flag evaluation end to end, as the administrator from first-run.spec.ts: a segment built with
// nested rules in the rule builder (checked inline and with the tester), a segment override, an
// identity whose traits put it in the segment, and the flag it gets (with the engine's reason) on
// the Identities page; then variants and their weights in the feature's Value tab.

const projectNav = (page: Page) => page.getByRole("navigation", { name: "Project" });

async function openFeature(page: Page, featureName: string) {
  await projectNav(page).getByRole("link", { name: "Features" }).click();
  await expect(page.getByRole("heading", { name: "Features", exact: true })).toBeVisible();
  await page.getByRole("link", { name: featureName, exact: true }).click();
  await expect(page.getByRole("heading", { name: featureName, exact: true })).toBeVisible();
}

test("segment rules, identities and variants drive the evaluated flags", async ({ page }) => {
  // One long story (many pages, two dialogs per step): triple the default timeout.
  test.slow();
  const projectName = uniqueName("Eval");
  const featureName = uniqueName("checkout_theme");
  const segmentName = uniqueName("Enterprise EU");
  const identifier = uniqueName("ada") + "@example.com";

  await test.step("create a project and a feature in Development", async () => {
    await page.goto("/projects");
    await page.getByRole("button", { name: "Create project" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Create project" });
    await dialog.getByLabel("Name").fill(projectName);
    await dialog.getByRole("button", { name: "Create project" }).click();
    await expect(page).toHaveURL(/\/projects\/\d+\/environments\/[^/]+\/features$/);
    await page.getByRole("button", { name: "Create feature" }).first().click();
    const featureDialog = page.getByRole("dialog", { name: "Create feature" });
    await featureDialog.getByLabel("Name", { exact: true }).fill(featureName);
    await featureDialog.getByLabel("Initial value type").selectOption({ label: "String" });
    await featureDialog.getByLabel("Initial value", { exact: true }).fill("plain");
    await featureDialog.getByRole("button", { name: "Create feature" }).click();
    await expect(featureDialog).toBeHidden();
  });

  await test.step("build a segment with nested rules, checked inline and by the tester", async () => {
    await projectNav(page).getByRole("link", { name: "Segments" }).click();
    await page.getByRole("button", { name: "Create segment" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Create segment" });
    await dialog.getByLabel("Name").fill(segmentName);
    await dialog.getByRole("button", { name: "Add rule group" }).click();
    await dialog.getByLabel("Group 1 matches when").selectOption("ALL");
    await dialog.getByLabel("Condition 1.1 property").fill("plan");

    // The shared schema refuses a condition without a value, at that condition.
    await dialog.getByRole("button", { name: "Create segment" }).click();
    await expect(dialog.getByText("EQUAL needs a value")).toBeVisible();
    await dialog.getByLabel("Condition 1.1 value").fill("enterprise");
    await expect(dialog.getByText("EQUAL needs a value")).toBeHidden();

    // A nested ANY group: country in a list, or a numeric trait modulo.
    await dialog.getByRole("button", { name: "Add sub-group to group 1" }).click();
    await expect(dialog.getByLabel("Group 1.1 matches when")).toHaveValue("ANY");
    await dialog.getByLabel("Condition 1.1.1 property").fill("country");
    await dialog.getByLabel("Condition 1.1.1 operator").selectOption("IN");
    await dialog.getByLabel("Condition 1.1.1 values").fill("DE, FR");
    await dialog.getByRole("button", { name: "Add condition to group 1.1" }).click();
    await dialog.getByLabel("Condition 1.1.2 property").fill("seats");
    await dialog.getByLabel("Condition 1.1.2 operator").selectOption("MODULO");
    await dialog.getByLabel("Condition 1.1.2 divisor").fill("10");
    await dialog.getByLabel("Condition 1.1.2 remainder").fill("0");

    const tester = dialog.getByRole("region", { name: "Test this segment" });
    await tester.getByLabel("Test trait 1 key").fill("plan");
    await tester.getByLabel("Test trait 1 value").fill("enterprise");
    await tester.getByRole("button", { name: "Add test trait" }).click();
    await tester.getByLabel("Test trait 2 key").fill("country");
    await tester.getByLabel("Test trait 2 value").fill("DE");
    await tester.getByRole("button", { name: "Run test" }).click();
    await expect(tester.getByRole("status")).toHaveText(/Match: this identity is in the segment/);
    await tester.getByLabel("Test trait 2 value").fill("US");
    await tester.getByRole("button", { name: "Run test" }).click();
    await expect(tester.getByRole("status")).toHaveText(/No match/);

    await dialog.getByRole("button", { name: "Create segment" }).click();
    await expect(dialog).toBeHidden();
    const row = page.getByRole("row").filter({ hasText: segmentName });
    await expect(row).toContainText(
      "plan equals enterprise and (country is one of DE, FR or seats % 10 = 0)",
    );
  });

  await test.step("override the feature for the segment in Development", async () => {
    await openFeature(page, featureName);
    await page.getByRole("tab", { name: "Segment overrides" }).click();
    await page.getByRole("button", { name: "Add segment override" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Add segment override" });
    await dialog.getByLabel("Segment", { exact: true }).selectOption({ label: segmentName });
    await dialog.getByLabel("Override value type").selectOption({ label: "String" });
    await dialog.getByLabel("Override value", { exact: true }).fill("enterprise-theme");
    await dialog.getByRole("button", { name: "Add override" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("cell", { name: segmentName, exact: true })).toBeVisible();
  });

  await test.step("an identity with matching traits gets the segment's value, and says why", async () => {
    await projectNav(page).getByRole("link", { name: "Identities" }).click();
    await expect(page.getByRole("heading", { name: "Identities", exact: true })).toBeVisible();
    await page.getByRole("button", { name: "Create identity" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Create identity" });
    await dialog.getByLabel("Identifier").fill(identifier);
    await dialog.getByRole("button", { name: "Create identity" }).click();
    await expect(dialog).toBeHidden();
    const detail = page.getByRole("region", { name: `Identity ${identifier}` });
    await expect(detail.getByRole("heading", { name: identifier })).toBeVisible();

    const flags = detail.getByRole("table", { name: "Evaluated flags" });
    const flagRow = flags.getByRole("row").filter({ hasText: featureName });
    await expect(flagRow).toContainText("Environment default");
    await expect(flagRow).toContainText("plain");

    for (const [key, value] of [
      ["plan", "enterprise"],
      ["country", "FR"],
    ] as const) {
      await detail.getByLabel("Trait key").fill(key);
      await detail.getByLabel("Trait value").fill(value);
      // Enter submits; the keyboard also keeps clear of toasts stacked over the right-hand column.
      await detail.getByLabel("Trait value").press("Enter");
      await expect(
        detail.getByRole("table", { name: "Traits" }).getByRole("row").filter({ hasText: key }),
      ).toContainText(value);
    }
    await expect(flagRow).toContainText(`Segment override: ${segmentName}`);
    await expect(flagRow).toContainText(`TARGETING_MATCH; segment=${segmentName}`);
    await expect(flagRow).toContainText("enterprise-theme");
    await expect(detail).toContainText(`Segments: ${segmentName}`);

    // The identity's own override beats the segment's.
    await detail.getByRole("button", { name: "Add identity override" }).press("Enter");
    const overrideDialog = page.getByRole("dialog", { name: "Add identity override" });
    await overrideDialog.getByLabel("Feature", { exact: true }).selectOption({ label: featureName });
    await overrideDialog.getByLabel("Override value type").selectOption({ label: "String" });
    await overrideDialog.getByLabel("Override value", { exact: true }).fill("just-for-ada");
    await overrideDialog.getByRole("button", { name: "Add override" }).click();
    await expect(overrideDialog).toBeHidden();
    await expect(flagRow).toContainText("Identity override");
    await expect(flagRow).toContainText("just-for-ada");
    await detail.getByRole("button", { name: `Remove override of ${featureName}` }).press("Enter");
    await page.getByRole("dialog").getByRole("button", { name: "Remove override" }).click();
    await expect(flagRow).toContainText(`Segment override: ${segmentName}`);
  });

  await test.step("variants and this environment's weights in the Value tab", async () => {
    await openFeature(page, featureName);
    const variants = page.getByRole("region", { name: "Variants" });
    await variants.getByRole("button", { name: "Add variant" }).click();
    const dialog = page.getByRole("dialog", { name: "Add variant" });
    await dialog.getByLabel("Variant value").fill("blue");
    await dialog.getByLabel("Default weight (%)").fill("30");
    await dialog.getByRole("button", { name: "Add variant" }).click();
    await expect(dialog).toBeHidden();
    await expect(variants.getByRole("table", { name: "Variants" })).toContainText("blue");
    await expect(variants.getByRole("table", { name: "Variants" })).toContainText("30%");

    const weight = variants.getByLabel("Weight of blue in Development (%)");
    await expect(weight).toHaveValue("30");
    await weight.fill("120");
    await weight.press("Enter");
    await expect(variants.getByText("must be at most 100")).toBeVisible();
    await weight.fill("60");
    await expect(variants).toContainText("control value 40%");
    await weight.press("Enter");
    await expect(page.getByText("Saved variant weights in Development")).toBeVisible();
    await page.reload();
    await expect(
      page.getByRole("region", { name: "Variants" }).getByLabel("Weight of blue in Development (%)"),
    ).toHaveValue("60");
  });
});
