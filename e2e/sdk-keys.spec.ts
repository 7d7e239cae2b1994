import { request as apiRequest } from "@playwright/test";
import { expect, test } from "./support/test";
import { createProject } from "./support/ui";

// The environments page: an environment's client-side key and SDK snippets, and its server-side
// keys — created (shown once), used to read the environment document, revoked (401 from then on).

test("create a server-side key on the environments page, read the document with it, revoke it", async ({
  page,
  request,
  baseURL,
}) => {
  const project = await createProject(request, baseURL!, "SDK keys");
  const production = project.environments.find((environment) => environment.name === "Production")!;
  await page.goto(`/projects/${project.projectId}/environments`);
  await page.getByLabel("Show the SDK set-up of").selectOption({ label: "Production" });
  const setup = page.getByRole("region", { name: "Reading flags from your application" });
  await expect(setup).toContainText(production.api_key);

  await page.getByRole("button", { name: "Create server-side key" }).click();
  const dialog = page.getByRole("dialog", { name: "Create a server-side key for Production" });
  await dialog.getByLabel("Key name").fill("backend");
  await dialog.getByRole("button", { name: "Create key" }).click();
  const shown = page.getByRole("dialog", { name: "Server-side key backend" });
  const key = (await shown.getByLabel("New server-side key").textContent())!.trim();
  expect(key).toMatch(/^ser\./);
  await shown.getByRole("button", { name: "Done" }).click();

  // Only the key speaks here: no session cookie.
  const sdk = await apiRequest.newContext({ baseURL });
  const document = await sdk.get("/api/v1/environment-document/", { headers: { "x-environment-key": key } });
  expect(document.status()).toBe(200);
  expect(((await document.json()) as { api_key: string }).api_key).toBe(production.api_key);

  const row = page.getByRole("row").filter({ hasText: "backend" });
  await expect(row).toContainText(key.slice(0, 10));
  await row.getByRole("button", { name: "Revoke backend" }).click();
  await page
    .getByRole("dialog", { name: "Revoke backend?" })
    .getByRole("button", { name: "Revoke key" })
    .click();
  await expect(row).toContainText("revoked");
  const refused = await sdk.get("/api/v1/environment-document/", { headers: { "x-environment-key": key } });
  expect(refused.status()).toBe(401);
});
