import { expect, test } from "./support/test";
import { createFeature, createProject, featurePath, featuresPath, type UiProject } from "./support/ui";

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

test("a value change in a protected environment asks first, naming flag and environment; Undo puts it back", async ({
  page,
}) => {
  await page.goto(featuresPath(project, production().api_key));
  const edit = page.getByRole("button", { name: `Edit value of ${feature.name} in Production` });
  const question = page.getByRole("dialog", { name: `Change the value of ${feature.name} in Production?` });

  await edit.click();
  await page.getByRole("textbox", { name: `Value of ${feature.name} in Production` }).fill("blue");
  await page.keyboard.press("Enter");
  await expect(question).toContainText("Production is a protected environment");
  await expect(question).toContainText('"blue"');
  await question.getByRole("button", { name: "Cancel" }).click();
  await expect(edit).toContainText("no value");

  await edit.click();
  await page.getByRole("textbox", { name: `Value of ${feature.name} in Production` }).fill("blue");
  await page.keyboard.press("Enter");
  await question.getByRole("button", { name: "Change value" }).click();
  await expect(edit).toContainText("blue");
  await page
    .getByRole("listitem")
    .filter({ hasText: `${feature.name} in Production is now "blue"` })
    .getByRole("button", { name: "Undo" })
    .click();
  await expect(page.getByText(`Undone: ${feature.name} in Production is no value again`)).toBeVisible();
  await expect(edit).toContainText("no value");

  // The feature's own Value tab asks the same question before saving.
  await page.goto(
    `/projects/${project.projectId}/environments/${production().api_key}/features/${feature.id}`,
  );
  await page.getByRole("combobox", { name: "Production value type" }).selectOption("string");
  await page.getByRole("textbox", { name: "Production value" }).fill("green");
  await page.getByRole("button", { name: "Save value" }).click();
  await question.getByRole("button", { name: "Change value" }).click();
  await expect(page.getByText(`${feature.name} in Production is now "green"`)).toBeVisible();
});

test("variant weights in a protected environment ask before saving", async ({ page, request, baseURL }) => {
  const response = await request.post(
    `/api/v1/projects/${project.projectId}/features/${feature.id}/mv-options/`,
    {
      data: { type: "unicode", string_value: "variant-a", default_percentage_allocation: 0 },
      headers: { origin: baseURL! },
    },
  );
  expect(response.status(), await response.text()).toBe(201);
  await page.goto(
    `/projects/${project.projectId}/environments/${production().api_key}/features/${feature.id}`,
  );
  await page.getByRole("spinbutton", { name: /Weight of .* in Production/ }).fill("30");
  await page.getByRole("button", { name: "Save weights" }).click();
  const question = page.getByRole("dialog", {
    name: `Change the variant weights of ${feature.name} in Production?`,
  });
  await question.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByText("Saved variant weights in Production")).toHaveCount(0);
  await page.getByRole("button", { name: "Save weights" }).click();
  await question.getByRole("button", { name: "Change weights" }).click();
  await expect(page.getByText("Saved variant weights in Production")).toBeVisible();
});

test("segment overrides in a protected environment ask before a toggle or value change", async ({
  page,
  request,
  baseURL,
}) => {
  const headers = { origin: baseURL! };
  const segment = await request.post(`/api/v1/projects/${project.projectId}/segments/`, {
    data: {
      name: "beta testers",
      rules: [
        {
          type: "ALL",
          rules: [{ type: "ANY", conditions: [{ property: "beta", operator: "EQUAL", value: "yes" }] }],
        },
      ],
    },
    headers,
  });
  expect(segment.status(), await segment.text()).toBe(201);
  const override = await request.post(
    `/api/v1/projects/${project.projectId}/features/${feature.id}/segment-overrides/`,
    {
      data: {
        environment: production().id,
        segment: ((await segment.json()) as { id: number }).id,
        enabled: false,
        feature_state_value: "beta",
      },
      headers,
    },
  );
  expect(override.status(), await override.text()).toBe(201);

  await page.goto(featurePath(project, feature.id, "segment-overrides", production().api_key));
  const toggle = page.getByRole("switch", { name: `Toggle ${feature.name} for segment beta testers` });
  await toggle.click();
  const turnOn = page.getByRole("dialog", {
    name: `Turn ${feature.name} on for segment beta testers in Production?`,
  });
  await expect(turnOn).toContainText("Production is a protected environment");
  await turnOn.getByRole("button", { name: "Cancel" }).click();
  await expect(toggle).not.toBeChecked();
  await toggle.click();
  await turnOn.getByRole("button", { name: "Turn on" }).click();
  await expect(toggle).toBeChecked();

  await page.getByRole("button", { name: `Edit value of ${feature.name} for segment beta testers` }).click();
  await page
    .getByRole("textbox", { name: `Value of ${feature.name} for segment beta testers` })
    .fill("gamma");
  await page.keyboard.press("Enter");
  await page
    .getByRole("dialog", {
      name: `Change the value of ${feature.name} for segment beta testers in Production?`,
    })
    .getByRole("button", { name: "Change value" })
    .click();
  await expect(
    page.getByRole("button", { name: `Edit value of ${feature.name} for segment beta testers` }),
  ).toHaveText("gamma");
});
