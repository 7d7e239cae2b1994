import path from "node:path";
import { defineConfig } from "vitest/config";

// The `server-only` marker throws outside React Server Components; tests load server modules
// directly, so they get the package's own empty module, as Next.js's server layers do.
const serverOnlyAllowed = path.resolve(import.meta.dirname, "node_modules/server-only/empty.js");

// Two tiers: `unit` (pure logic, colocated *.test.ts) and `integration` (real database through
// the real route handlers and domain modules, tests/integration). Playwright covers the browser.
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname), "server-only": serverOnlyAllowed } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "tools/gitlab-sim/**/*.test.ts", "scripts/**/*.test.ts"],
          exclude: ["**/*.integration.test.ts", "node_modules/**"],
          environment: "node",
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          setupFiles: ["tests/integration/setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // PGlite runs in-process; files run in parallel workers, each with its own database.
          pool: "forks",
        },
      },
    ],
  },
});
