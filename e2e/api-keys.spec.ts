import { request as apiRequest } from "@playwright/test";
import { expect, test } from "./support/test";
import { uniqueName } from "./support/constants";

// The organisation's API keys page: a key made with a role and an expiry shows both, is shown in
// full once, answers the API with its role, and is revoked after a confirmation.

test("create an editor key that expires, use it, and revoke it", async ({ page, baseURL }) => {
  // No session cookie here: only the key speaks.
  const request = await apiRequest.newContext({ baseURL });
  const keyName = uniqueName("ci-deploy");
  await page.goto("/organisation/settings");
  await page.getByRole("button", { name: "Create API key" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Create API key" });
  await dialog.getByLabel("Key name").fill(keyName);
  await dialog.getByLabel("Role").selectOption({ label: "Editor" });
  await dialog.getByLabel("Expires").selectOption({ label: "In 30 days" });
  await dialog.getByRole("button", { name: "Create key" }).click();

  const shown = page.getByRole("dialog", { name: `API key ${keyName}` });
  const key = (await shown.getByLabel("New API key").textContent())!.trim();
  await expect(shown).toContainText("Role: Editor, expires");
  await shown.getByRole("button", { name: "Done" }).click();

  const row = page.getByRole("row").filter({ hasText: keyName });
  await expect(row).toContainText("Editor");
  await expect(row).toContainText("Active");
  await expect(row.getByRole("cell").nth(4)).not.toHaveText("Never");

  // The key works until it is revoked.
  const me = await request.get("/api/v1/me/", { headers: { authorization: `Api-Key ${key}` } });
  expect(me.status()).toBe(200);

  await row.getByRole("button", { name: `Revoke API key ${keyName}` }).click();
  const confirm = page.getByRole("dialog", { name: `Revoke API key ${keyName}?` });
  await confirm.getByRole("button", { name: "Revoke key" }).click();
  await expect(row).toContainText("Revoked");
  const revoked = await request.get("/api/v1/me/", { headers: { authorization: `Api-Key ${key}` } });
  expect(revoked.status()).toBe(401);
});
