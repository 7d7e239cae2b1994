import type { Page } from "@playwright/test";
import { expect, test } from "./support/test";
import { ADMIN, uniqueName } from "./support/constants";
import {
  commentOnMergeRequest,
  isEnabledIn,
  replyInThread,
  setUpGitLabDrivenFeature,
} from "./support/gitlab-driven";

// GitLab usernames, in a real browser against the production server: people link their own on
// "Your account", admins link anyone's on the users page (one name per organisation), and a flag
// command commented in GitLab by a linked username is recorded with the Flagpost person's name.

test.describe.configure({ mode: "serial" });

// The simulator's Developer; the admin is linked to it on the users page, then comments as it.
const GITLAB_USER = "bob";

const usernameDialog = (page: Page) => page.getByRole("dialog", { name: "GitLab username" });
const usernameField = (page: Page) => usernameDialog(page).getByRole("textbox", { name: "GitLab username" });

async function openFromAccountMenu(page: Page, item: "Your account" | "Organisation settings") {
  await page.getByRole("button", { name: `Account menu for ${ADMIN.name}` }).click();
  await page.getByRole("menuitem", { name: item }).click();
}

/** Types into the open dialog and saves; the dialog closes with the toast. */
async function saveUsername(page: Page, value: string, toast: string) {
  await usernameField(page).fill(value);
  await usernameDialog(page).getByRole("button", { name: "Save" }).click();
  await expect(usernameDialog(page)).toBeHidden();
  await expect(page.getByText(toast)).toBeVisible();
}

test.afterAll(async ({ request, baseURL }) => {
  // Later specs expect changes from GitLab to name the GitLab user alone: unlink the admin.
  const cleared = await request.patch("/api/v1/me/", {
    data: { gitlab_username: null },
    headers: { origin: baseURL! },
  });
  expect(cleared.status(), await cleared.text()).toBe(200);
});

test("Your account: set, refuse a bad value, change and clear the GitLab username; it survives a reload", async ({
  page,
}) => {
  await page.goto("/projects");
  await openFromAccountMenu(page, "Your account");
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("heading", { name: "Your account", exact: true })).toBeVisible();
  const shown = page.getByTestId("gitlab-username");
  await expect(shown).toHaveText("not set");

  await test.step("a value GitLab would not accept is refused on the field; the dialog stays open", async () => {
    await page.getByRole("button", { name: "Set GitLab username" }).click();
    for (const bad of ["ada lovelace", "@@x"]) {
      // Checked again as one types: a good value clears the error, so each refusal is this value's.
      await usernameField(page).fill("ada");
      await expect(usernameField(page)).not.toHaveAttribute("aria-invalid", "true");
      await usernameField(page).fill(bad);
      await usernameDialog(page).getByRole("button", { name: "Save" }).click();
      await expect(usernameField(page)).toHaveAttribute("aria-invalid", "true");
      await expect(usernameField(page)).toHaveAccessibleDescription(
        "A GitLab username has letters, digits, _, - and ., and starts and ends with a letter or digit",
      );
      await expect(usernameDialog(page)).toBeVisible();
    }
    await expect(shown).toHaveText("not set");
  });

  await test.step("a leading @ is dropped; the name is shown and survives a reload", async () => {
    await saveUsername(page, "@ada-admin", "Linked to @ada-admin in GitLab");
    await expect(shown).toHaveText("@ada-admin");
    await page.reload();
    await expect(shown).toHaveText("@ada-admin");
  });

  await test.step("changing it starts from the current name", async () => {
    await page.getByRole("button", { name: "Change GitLab username" }).click();
    await expect(usernameField(page)).toHaveValue("ada-admin");
    await saveUsername(page, "ada.lovelace", "Linked to @ada.lovelace in GitLab");
    await expect(shown).toHaveText("@ada.lovelace");
  });

  await test.step("emptying the field removes it, also after a reload", async () => {
    await page.getByRole("button", { name: "Change GitLab username" }).click();
    await saveUsername(page, "", "GitLab username removed");
    await expect(shown).toHaveText("not set");
    await page.reload();
    await expect(shown).toHaveText("not set");
    await expect(page.getByRole("button", { name: "Set GitLab username" })).toBeVisible();
  });
});

test("the users page: an admin links people's GitLab usernames, one person per name in the organisation", async ({
  page,
  pageWatch,
  request,
  baseURL,
}) => {
  const me = (await (await request.get("/api/v1/me/")).json()) as { organisations: { id: number }[] };
  const colleague = { name: `Bea ${uniqueName("Builder")}`, email: `${uniqueName("bea")}@flagpost.test` };
  const created = await request.post(`/api/v1/organisations/${me.organisations[0]!.id}/users/`, {
    data: { ...colleague, password: "bea's password 123", role: "MEMBER" },
    headers: { origin: baseURL! },
  });
  expect(created.status(), await created.text()).toBe(201);

  await page.goto("/projects");
  await openFromAccountMenu(page, "Organisation settings");
  const users = page.getByRole("table", { name: "Organisation users" });
  // Columns: person, role, GitLab, added, actions.
  const gitlabCell = (email: string) =>
    users.getByRole("row").filter({ hasText: email }).getByRole("cell").nth(2);
  await expect(gitlabCell(colleague.email)).toContainText("—");
  await expect(gitlabCell(ADMIN.email)).toContainText("—");

  await test.step("the dialog links another member and the GitLab column shows it", async () => {
    await page.getByRole("button", { name: `GitLab username of ${colleague.name}` }).click();
    await expect(usernameDialog(page)).toContainText(`recorded as ${colleague.name} too`);
    await saveUsername(page, "bea-b", "Linked to @bea-b in GitLab");
    await expect(gitlabCell(colleague.email)).toContainText("@bea-b");
    await page.getByRole("button", { name: `GitLab username of ${ADMIN.name}` }).click();
    await saveUsername(page, GITLAB_USER, `Linked to @${GITLAB_USER} in GitLab`);
    await expect(gitlabCell(ADMIN.email)).toContainText(`@${GITLAB_USER}`);
  });

  await test.step("a name another member has is refused under the field, in any case", async () => {
    pageWatch.allowHttpError(/\/api\/v1\/organisations\/\d+\/users\/\d+\/$/, 409);
    await page.getByRole("button", { name: `GitLab username of ${colleague.name}` }).click();
    await expect(usernameField(page)).toHaveValue("bea-b");
    await usernameField(page).fill(GITLAB_USER.toUpperCase());
    await usernameDialog(page).getByRole("button", { name: "Save" }).click();
    await expect(usernameField(page)).toHaveAttribute("aria-invalid", "true");
    await expect(usernameField(page)).toHaveAccessibleDescription(
      `Another member of your organisation already has the GitLab username @${GITLAB_USER.toUpperCase()}`,
    );
    await expect(usernameDialog(page)).toBeVisible();
    await usernameDialog(page).getByRole("button", { name: "Cancel" }).click();
    await expect(usernameDialog(page)).toBeHidden();
  });

  await test.step("both names survive a reload, and the admin's own account page shows theirs", async () => {
    await page.reload();
    await expect(gitlabCell(colleague.email)).toContainText("@bea-b");
    await expect(gitlabCell(ADMIN.email)).toContainText(`@${GITLAB_USER}`);
    await openFromAccountMenu(page, "Your account");
    await expect(page.getByTestId("gitlab-username")).toHaveText(`@${GITLAB_USER}`);
  });
});

test("a flag command commented by the linked GitLab user names the Flagpost person in the history", async ({
  page,
  request,
  baseURL,
}) => {
  // The previous test linked the admin to the simulator's Developer, who may change Development.
  const driven = await setUpGitLabDrivenFeature(request, baseURL!, "GitLab usernames");
  await commentOnMergeRequest(request, driven.mrIid, GITLAB_USER, `@${driven.bot} enable in development`);
  await expect.poll(() => isEnabledIn(request, driven.development, driven.featureId)).toBe(true);
  expect(await replyInThread(request, driven.mrIid, "enable in development")).toMatchObject({
    author: { username: driven.bot },
    body: expect.stringContaining(`@${GITLAB_USER} Done:`),
  });

  await page.goto(
    `/projects/${driven.projectId}/environments/${driven.development}/features/${driven.featureId}`,
  );
  await page.getByRole("tab", { name: "History" }).click();
  const history = page.getByRole("table", { name: "Audit log entries" });
  await expect(history).toContainText(
    `${ADMIN.name} (@${GITLAB_USER} in GitLab, comment on !${driven.mrIid})`,
  );
});
