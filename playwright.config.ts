import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

// End-to-end tests drive a production build (`next start`) on a throw-away embedded database in
// the system Chromium (Playwright's own browser download is not available here). The GitLab
// simulator runs beside it. `npm test` builds first; run `npm run build` before `npm run test:e2e`.

const port = Number(process.env.E2E_PORT ?? 3210);
const simPort = Number(process.env.E2E_GITLAB_SIM_PORT ?? 4210);
export const baseURL = `http://localhost:${port}`;
const dataDir = process.env.E2E_DATA_DIR ?? path.join(os.tmpdir(), `flagpost-e2e-${process.pid}`);

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  globalSetup: "./e2e/support/global-setup.ts",
  use: {
    baseURL,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "first-run", testMatch: "first-run.spec.ts", use: { ...devices["Desktop Chrome"] } },
    {
      name: "app",
      testIgnore: "first-run.spec.ts",
      dependencies: ["first-run"],
      use: { ...devices["Desktop Chrome"], storageState: "test-results/.auth/admin.json" },
    },
  ],
  webServer: [
    {
      command: `npx tsx tools/gitlab-sim/main.ts`,
      url: `http://127.0.0.1:${simPort}/_sim/health`,
      env: { GITLAB_SIM_PORT: String(simPort), GITLAB_SIM_QUIET: "1" },
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command: `rm -rf ${dataDir} && npx next start -p ${port}`,
      url: `${baseURL}/api/health`,
      env: {
        FLAGPOST_DATA_DIR: dataDir,
        FLAGPOST_PUBLIC_URL: baseURL,
        GITLAB_ALLOW_PRIVATE_NETWORK: "true",
        FLAGPOST_TEST_CLOCK: "true",
        FLAGPOST_JOB_DEBOUNCE_MS: "300",
        NEXT_TELEMETRY_DISABLED: "1",
      },
      reuseExistingServer: false,
      timeout: 120_000,
    },
  ],
});
