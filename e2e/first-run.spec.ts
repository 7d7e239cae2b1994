import { expect, test } from "./support/test";
import { ADMIN } from "./support/constants";

// Runs first against a fresh server: signs up the administrator through the first-run page and
// saves the signed-in browser state that every other spec reuses.

const AUTH_STATE = "test-results/.auth/admin.json";

test("first run: set up the administrator, sign out, and sign in again", async ({ page, pageWatch }) => {
  await test.step("a fresh server sends visitors to first-run setup", async () => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/setup$/);
    await expect(page.getByRole("heading", { name: "Welcome to Flagpost", exact: true })).toBeVisible();
  });

  await test.step("a deep link is remembered through first-run setup", async () => {
    await page.goto("/organisation/settings");
    await expect(page).toHaveURL(
      (url) => url.pathname === "/setup" && url.searchParams.get("callbackUrl") === "/organisation/settings",
    );
  });

  await test.step("the form checks fields with the shared schema before sending", async () => {
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByText("Enter a valid email address")).toBeVisible();
    await expect(page.getByText("Use at least 10 characters")).toBeVisible();
  });

  await test.step("signing up the administrator lands on the page asked for, signed in", async () => {
    await page.getByLabel("Your name").fill(ADMIN.name);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByLabel("Organisation name").fill("Acme Inc");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/organisation\/settings$/);
    await expect(page.getByRole("navigation", { name: "Breadcrumb" })).toContainText("Acme Inc");
    await page.goto("/projects");
    await expect(page.getByRole("heading", { name: "Projects", exact: true })).toBeVisible();
  });

  await test.step("setup is closed once someone exists", async () => {
    await page.goto("/setup");
    await expect(page).not.toHaveURL(/\/setup/);
  });

  await test.step("signing out returns to the sign-in page", async () => {
    await page.getByRole("button", { name: /Account menu/ }).click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.goto("/projects");
    await expect(page).toHaveURL(/\/login/);
  });

  await test.step("a wrong password is refused with a message", async () => {
    pageWatch.allowHttpError(/\/api\/auth\/callback\/credentials/, 401);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill("definitely not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("Wrong email or password.")).toBeVisible();
    await expect(page).toHaveURL(/\/login/);
  });

  await test.step("the same credentials sign in again", async () => {
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/projects$/);
    await expect(page.getByRole("heading", { name: "Projects", exact: true })).toBeVisible();
  });

  await page.context().storageState({ path: AUTH_STATE });
});
