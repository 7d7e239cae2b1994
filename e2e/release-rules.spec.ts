import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./support/test";
import {
  commentOnMergeRequest,
  isEnabledIn,
  replyInThread,
  setUpGitLabDrivenFeature,
  SIM_DEMO_PROJECT as simProject,
  type GitLabDrivenFeature,
} from "./support/gitlab-driven";

// GitLab drives the flag, in a real browser against the production server: a release rule made on
// the Links tab fires when the merge request is merged in the GitLab simulator (flag enabled, the
// status note names the rule); a comment command in the simulator gets a reply and changes the flag.

test.describe.configure({ mode: "serial" });

let driven: GitLabDrivenFeature;
let projectId: number;
let featureId: number;
let development: string;
let mrIid: number;

const developmentEnabled = (request: APIRequestContext) => isEnabledIn(request, development, featureId);

test.beforeAll(async ({ request, baseURL }) => {
  driven = await setUpGitLabDrivenFeature(request, baseURL!, "Release rules");
  ({ projectId, featureId, development, mrIid } = driven);
});

test("a rule made on the Links tab enables the flag when the MR merges in GitLab", async ({
  page,
  request,
}) => {
  await page.goto(`/projects/${projectId}/environments/${development}/features/${featureId}?tab=links`);
  await page.getByRole("button", { name: "Add release rule" }).click();
  const form = page.getByRole("dialog", { name: "New release rule" });
  await expect(form.getByLabel("Event")).toHaveValue("merged");
  // The shared schema refuses a rule without environments before anything is sent.
  await form.getByRole("button", { name: "Add rule" }).click();
  await expect(form).toContainText("Choose at least one environment");
  await form.getByLabel("Development").check();
  await form.getByRole("button", { name: "Add rule" }).click();
  await expect(form).toBeHidden();
  const rules = page.getByRole("list", { name: new RegExp(`Release rules of .*!${mrIid}`) });
  await expect(rules).toContainText(`When !${mrIid} merges → enable in Development`);
  await expect(rules).toContainText("waiting");

  const merged = await request.post(`${simProject}/merge_requests/${mrIid}/actions`, {
    data: { action: "merge", userId: driven.users.alice },
  });
  expect(merged.ok(), await merged.text()).toBe(true);
  await expect.poll(() => developmentEnabled(request)).toBe(true);
  await expect(async () => {
    const notes = (await (await request.get(`${simProject}/merge_requests/${mrIid}/notes`)).json()) as {
      body: string;
      system: boolean;
    }[];
    const status = notes.find((note) => !note.system && note.body.includes("Feature flag"));
    expect(status?.body).toMatch(/rule \\#\d+: MR \\!\d+ merged by \\@alice in GitLab: Enabled/);
  }).toPass();
  await page.reload();
  await expect(rules).toContainText("fired");
});

test("a comment command in GitLab gets a reply in its thread and changes the flag", async ({ request }) => {
  await commentOnMergeRequest(request, mrIid, "alice", `@${driven.bot} disable in development`);
  await expect.poll(() => developmentEnabled(request)).toBe(false);
  expect(await replyInThread(request, mrIid, "disable in development")).toMatchObject({
    author: { username: driven.bot },
    body: expect.stringContaining("@alice Done:"),
  });
});
