import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./support/test";
import { DEMO_PROJECT_PATH, DEMO_TOKENS } from "../tools/gitlab-sim/seed";
import { GITLAB_SIM_URL, uniqueName } from "./support/constants";

// Flag-state comments, as the administrator signed in by first-run.spec.ts: a feature linked to a
// simulator issue gets its status note from the server's own job worker (300 ms debounce in the
// e2e server); toggling the flag in the UI edits that note in GitLab; the integration page shows
// the Background jobs panel.

interface Note {
  id: number;
  body: string;
  system: boolean;
}

const ISSUE = 7;

async function statusNotes(request: APIRequestContext, featureId: number): Promise<Note[]> {
  const response = await request.get(
    `${GITLAB_SIM_URL}/_sim/projects/${encodeURIComponent(DEMO_PROJECT_PATH)}/issues/${ISSUE}/notes`,
  );
  const notes = (await response.json()) as Note[];
  return notes.filter((note) => !note.system && note.body.includes(`<!-- flagpost:feature=${featureId} -->`));
}

const productionRow = (body: string | undefined) =>
  body?.split("\n").find((line) => line.startsWith("| [Production]")) ?? "";

test("toggling a flag in the UI updates its status comment on the linked GitLab issue", async ({
  page,
  request,
  baseURL,
}) => {
  const headers = { origin: baseURL! };
  const featureName = uniqueName("dark_mode");
  let projectId = 0;
  let featureId = 0;
  let productionKey = "";

  await test.step("a project connected to GitLab, with a feature linked to an issue (API)", async () => {
    const seeded = await request.post(`${GITLAB_SIM_URL}/_sim/seed`);
    expect(seeded.ok()).toBe(true);
    const gitlabProjectId = ((await seeded.json()) as { projectId: number }).projectId;
    const project = await request.post("/api/v1/projects/", {
      data: { name: uniqueName("Comments"), create_default_environments: true },
      headers,
    });
    expect(project.status()).toBe(201);
    projectId = ((await project.json()) as { id: number }).id;
    const integration = await request.post(`/api/v1/projects/${projectId}/integrations/gitlab/`, {
      data: {
        gitlab_instance_url: GITLAB_SIM_URL,
        access_token: DEMO_TOKENS.maintainer,
        gitlab_project_id: gitlabProjectId,
      },
      headers,
    });
    expect(integration.status(), await integration.text()).toBe(201);
    const feature = await request.post(`/api/v1/projects/${projectId}/features/`, {
      data: { name: featureName },
      headers,
    });
    expect(feature.status()).toBe(201);
    featureId = ((await feature.json()) as { id: number }).id;
    const link = await request.post(
      `/api/v1/projects/${projectId}/features/${featureId}/feature-external-resources/`,
      {
        data: { url: `#${ISSUE}`, type: "GITLAB_ISSUE" },
        headers,
      },
    );
    expect(link.status(), await link.text()).toBe(201);
    const environments = (await (await request.get(`/api/v1/environments/?project=${projectId}`)).json()) as {
      results: { name: string; api_key: string }[];
    };
    productionKey = environments.results.find((environment) => environment.name === "Production")!.api_key;
  });

  await test.step("the worker posts one status note on the issue", async () => {
    await expect.poll(async () => (await statusNotes(request, featureId)).length).toBe(1);
    const [note] = await statusNotes(request, featureId);
    expect(productionRow(note!.body)).toContain("❌ Disabled");
    expect(note!.body).toContain("| Environment | Enabled | Value | Last updated (UTC) |");
  });

  await test.step("turn the flag on in Production from the features list", async () => {
    await page.goto(`/projects/${projectId}/environments/${productionKey}/features`);
    const toggle = page.getByRole("switch", { name: `Toggle ${featureName} in Production` });
    await expect(toggle).toHaveAttribute("aria-checked", "false");
    await toggle.click();
    // Production is protected: the toggle asks first.
    await page
      .getByRole("dialog", { name: `Turn ${featureName} on in Production?` })
      .getByRole("button", { name: "Turn on" })
      .click();
    await expect(toggle).toHaveAttribute("aria-checked", "true");
  });

  await test.step("the same note in GitLab now shows it enabled in Production", async () => {
    const [before] = await statusNotes(request, featureId);
    await expect
      .poll(async () => productionRow((await statusNotes(request, featureId))[0]?.body))
      .toContain("✅ Enabled");
    const notes = await statusNotes(request, featureId);
    expect(notes).toHaveLength(1);
    expect(notes[0]!.id).toBe(before!.id);
    expect(notes[0]!.body).toMatch(/\*\*Recent changes\*\*[\s\S]*Enabled .* in Production/);
  });

  await test.step("the integration page shows the background jobs, none failed", async () => {
    await page.goto(`/projects/${projectId}/settings/integrations/gitlab`);
    await expect(page.getByRole("heading", { name: "Background jobs" })).toBeVisible();
    await expect(page.getByTestId("jobs-failed")).toHaveText("0");
    await expect(page.getByText("No failed jobs.")).toBeVisible();
  });
});
