import type { APIRequestContext, Page } from "@playwright/test";
import { expect, test } from "./support/test";
import { DEMO_PROJECT_PATH, DEMO_TOKENS } from "../tools/gitlab-sim/seed";
import { GITLAB_SIM_URL, uniqueName } from "./support/constants";

// The feature Links tab against the GitLab simulator, as the administrator signed in by
// first-run.spec.ts: link an open issue found by search, a merged MR by !iid and a closed issue by a
// pasted work-item URL; see their states; unlink with confirmation; watch the "Flagpost" label come
// and go in GitLab (the server's job worker adds and removes it) and the feature's GitLab tags.

test.describe.configure({ mode: "serial" });

interface Setup {
  projectId: number;
  featureId: number;
  featureName: string;
  envApiKey: string;
}

let gitlabProjectId: number;
let tagged: Setup;

const simItem = async (request: APIRequestContext, kind: "issues" | "merge_requests", iid: number) =>
  (await (
    await request.get(
      `${GITLAB_SIM_URL}/_sim/projects/${encodeURIComponent(DEMO_PROJECT_PATH)}/${kind}/${iid}`,
    )
  ).json()) as { labels: string[] };
const simLabels = (request: APIRequestContext, kind: "issues" | "merge_requests", iid: number) => async () =>
  (await simItem(request, kind, iid)).labels;

/** A Flagpost project connected to the demo GitLab project, with one feature (all through the API). */
async function connectedProject(
  request: APIRequestContext,
  origin: string,
  tagging: boolean,
): Promise<Setup> {
  const headers = { origin };
  const project = await request.post("/api/v1/projects/", {
    data: { name: uniqueName("Links"), create_default_environments: true },
    headers,
  });
  expect(project.status()).toBe(201);
  const projectId = ((await project.json()) as { id: number }).id;
  const integration = await request.post(`/api/v1/projects/${projectId}/integrations/gitlab/`, {
    data: {
      gitlab_instance_url: GITLAB_SIM_URL,
      access_token: DEMO_TOKENS.maintainer,
      gitlab_project_id: gitlabProjectId,
      tagging_enabled: tagging,
    },
    headers,
  });
  expect(integration.status(), await integration.text()).toBe(201);
  const featureName = uniqueName("new_checkout");
  const feature = await request.post(`/api/v1/projects/${projectId}/features/`, {
    data: { name: featureName },
    headers,
  });
  expect(feature.status()).toBe(201);
  const environments = (await (await request.get(`/api/v1/environments/?project=${projectId}`)).json()) as {
    results: { api_key: string }[];
  };
  return {
    projectId,
    featureId: ((await feature.json()) as { id: number }).id,
    featureName,
    envApiKey: environments.results[0]!.api_key,
  };
}

const featurePage = (setup: Setup, tab: string) =>
  `/projects/${setup.projectId}/environments/${setup.envApiKey}/features/${setup.featureId}?tab=${tab}`;
const row = (page: Page, reference: string) => page.getByTestId(`linked-item-${reference}`);
const linkField = (page: Page) => page.getByRole("combobox", { name: "Link issue or MR" });

async function featureTags(request: APIRequestContext, setup: Setup): Promise<string[]> {
  const feature = (await (
    await request.get(`/api/v1/projects/${setup.projectId}/features/${setup.featureId}/`)
  ).json()) as { tags: number[] };
  const tags = (await (await request.get(`/api/v1/projects/${setup.projectId}/tags/`)).json()) as {
    id: number;
    label: string;
  }[];
  return tags
    .filter((tag) => feature.tags.includes(tag.id))
    .map((tag) => tag.label)
    .sort();
}

test.beforeAll(async ({ request, baseURL }) => {
  const seeded = await request.post(`${GITLAB_SIM_URL}/_sim/seed`);
  expect(seeded.ok()).toBe(true);
  gitlabProjectId = ((await seeded.json()) as { projectId: number }).projectId;
  tagged = await connectedProject(request, baseURL!, true);
});

test("an editor links issues and merge requests, sees their state, and unlinks with confirmation", async ({
  page,
  request,
  pageWatch,
}) => {
  const linkedList = () => page.getByRole("list", { name: /^Issues and merge requests linked to / });

  await test.step("the Links tab is there because the project has a GitLab integration", async () => {
    await page.goto(featurePage(tagged, "value"));
    await page.getByRole("tab", { name: "Links" }).click();
    await expect(page.getByRole("heading", { name: "Linked issues and merge requests" })).toBeVisible();
    await expect(page.getByText("No linked issues or merge requests")).toBeVisible();
    await expect(linkField(page)).toBeVisible();
  });

  await test.step("an open issue, found by searching its title", async () => {
    await linkField(page).fill("checkout flow");
    const option = page.getByRole("option", { name: "#1 Roll out the new checkout flow behind a flag" });
    await expect(page.getByRole("option", { name: /^#6 / })).toHaveCount(0);
    await option.click();
    await expect(
      page.getByText(`Linked ${DEMO_PROJECT_PATH}#1: Roll out the new checkout flow behind a flag`),
    ).toBeVisible();
    await expect(linkField(page)).toHaveValue("");
    await expect(row(page, "#1")).toContainText("Open");
    await expect(
      row(page, "#1").getByRole("link", { name: /Roll out the new checkout flow/ }),
    ).toHaveAttribute("href", `${GITLAB_SIM_URL}/${DEMO_PROJECT_PATH}/-/issues/1`);
    await expect(
      row(page, "#1").getByRole("link", { name: /Roll out the new checkout flow/ }),
    ).toHaveAttribute("target", "_blank");
    // Linked items stay in the results, marked and not selectable.
    await linkField(page).fill("checkout flow");
    await expect(
      page.getByRole("option", { name: "#1 Roll out the new checkout flow behind a flag (already linked)" }),
    ).toHaveAttribute("aria-disabled", "true");
    await linkField(page).fill("");
    await linkField(page).press("Escape");
  });

  await test.step("a merged merge request, by !iid", async () => {
    await linkField(page).fill("!3");
    await page.getByRole("option", { name: "!3 Introduce the feature flag SDK" }).click();
    await expect(row(page, "!3")).toContainText("Merged");
  });

  await test.step("a closed issue, by pasting its work-item URL", async () => {
    const url = `${GITLAB_SIM_URL}/${DEMO_PROJECT_PATH}/-/work_items/2`;
    await linkField(page).fill(url);
    // The pasted URL is looked up: the option shows the issue's reference and title.
    await page.getByRole("option", { name: "#2 Remove the legacy pricing flag" }).click();
    await expect(row(page, "#2")).toContainText("Remove the legacy pricing flag");
    await expect(row(page, "#2")).toContainText("Closed");
    await expect(linkedList().getByRole("listitem")).toHaveCount(3);
  });

  await test.step("a link GitLab refuses is explained next to the field, which keeps the text", async () => {
    pageWatch.allowHttpError(/\/feature-external-resources\/$/, 400);
    pageWatch.allowHttpError(/\/feature-external-resources\/$/, 404);
    pageWatch.allowHttpError(/\/feature-external-resources\/$/, 422);
    await linkField(page).fill("#999");
    await page.getByRole("option", { name: "Link #999" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Could not link #999" })).toContainText(
      /not found or is not visible to the integration's token/,
    );
    await expect(linkField(page)).toHaveValue("#999");
    await expect(linkedList().getByRole("listitem")).toHaveCount(3);
    await linkField(page).fill("");
    await expect(page.getByRole("alert").filter({ hasText: "Could not link #999" })).toHaveCount(0);
  });

  await test.step("GitLab gets the Flagpost label on every linked item; the feature gets its tags", async () => {
    await expect.poll(simLabels(request, "issues", 1)).toContain("Flagpost");
    await expect.poll(simLabels(request, "issues", 2)).toContain("Flagpost");
    await expect.poll(simLabels(request, "merge_requests", 3)).toContain("Flagpost");
    await page.getByRole("tab", { name: "Tags" }).click();
    const systemTags = page.getByRole("region", { name: "System tags" });
    await expect(systemTags).toContainText("Issue Open");
    await expect(systemTags).toContainText("MR Merged");
  });

  await test.step("the features list shows how many items the flag links", async () => {
    await page.goto(`/projects/${tagged.projectId}/environments/${tagged.envApiKey}/features`);
    await expect(page.getByRole("img", { name: "3 linked GitLab issues and merge requests" })).toBeVisible();
  });

  await test.step("unlinking asks first, names the item, and takes the label off in GitLab", async () => {
    await page.goto(featurePage(tagged, "links"));
    await page.getByRole("button", { name: `Unlink ${DEMO_PROJECT_PATH}#1` }).click();
    const dialog = page.getByRole("dialog", { name: `Unlink ${DEMO_PROJECT_PATH}#1?` });
    await expect(dialog).toContainText("Roll out the new checkout flow behind a flag");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(row(page, "#1")).toBeVisible();

    await page.getByRole("button", { name: `Unlink ${DEMO_PROJECT_PATH}#1` }).click();
    await page
      .getByRole("dialog", { name: `Unlink ${DEMO_PROJECT_PATH}#1?` })
      .getByRole("button", { name: "Unlink" })
      .click();
    await expect(page.getByText(`Unlinked ${DEMO_PROJECT_PATH}#1`)).toBeVisible();
    await expect(row(page, "#1")).toHaveCount(0);
    await expect.poll(simLabels(request, "issues", 1)).not.toContain("Flagpost");
    // The closed issue is now the feature's only issue.
    await expect.poll(() => featureTags(request, tagged)).toEqual(["Issue Closed", "MR Merged"]);
  });
});

test("the label stays while another feature links the item and goes with the last link", async ({
  page,
  request,
  baseURL,
}) => {
  const other = await connectedProject(request, baseURL!, true);
  const linked = await request.post(
    `/api/v1/projects/${other.projectId}/features/${other.featureId}/feature-external-resources/`,
    {
      data: { url: "!3", type: "GITLAB_MR" },
      headers: { origin: baseURL! },
    },
  );
  expect(linked.status()).toBe(201);

  await page.goto(featurePage(tagged, "links"));
  // !3 first: its job (which must leave the label) is due before #2's, whose effect we wait for.
  for (const reference of ["!3", "#2"]) {
    await page.getByRole("button", { name: `Unlink ${DEMO_PROJECT_PATH}${reference}` }).click();
    await page
      .getByRole("dialog", { name: `Unlink ${DEMO_PROJECT_PATH}${reference}?` })
      .getByRole("button", { name: "Unlink" })
      .click();
    await expect(row(page, reference)).toHaveCount(0);
  }
  await expect(page.getByText("No linked issues or merge requests")).toBeVisible();
  await expect.poll(simLabels(request, "issues", 2)).not.toContain("Flagpost");
  await expect.poll(() => featureTags(request, tagged)).toEqual([]);
  // The other project's feature still links !3: its label stays until that link goes too.
  expect(await simLabels(request, "merge_requests", 3)()).toContain("Flagpost");

  await page.goto(featurePage(other, "links"));
  await page.getByRole("button", { name: `Unlink ${DEMO_PROJECT_PATH}!3` }).click();
  await page
    .getByRole("dialog", { name: `Unlink ${DEMO_PROJECT_PATH}!3?` })
    .getByRole("button", { name: "Unlink" })
    .click();
  await expect(row(page, "!3")).toHaveCount(0);
  await expect.poll(simLabels(request, "merge_requests", 3)).not.toContain("Flagpost");
});

test("with tagging off, linking tags nothing", async ({ page, request, baseURL }) => {
  const untagged = await connectedProject(request, baseURL!, false);
  await page.goto(featurePage(untagged, "links"));
  await linkField(page).fill("#6");
  await page.getByRole("option", { name: /^#6 / }).click();
  await expect(row(page, "#6")).toContainText("Open");
  await page.getByRole("button", { name: "Refresh" }).click();
  await expect(page.getByText("Refreshed from GitLab")).toBeVisible();
  expect(await featureTags(request, untagged)).toEqual([]);
  await page.getByRole("tab", { name: "Tags" }).click();
  await expect(page.getByRole("region", { name: "Tags" })).toBeVisible();
  await expect(page.getByRole("region", { name: "System tags" })).toHaveCount(0);
});
