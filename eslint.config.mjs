import { defineConfig, globalIgnores } from "eslint/config";
import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypeScript from "eslint-config-next/typescript";
import prettier from "eslint-config-prettier/flat";

export default defineConfig([
  ...nextCoreWebVitals,
  ...nextTypeScript,
  prettier,
  {
    rules: {
      // No unused code: unused variables and imports fail the lint (an underscore marks an
      // intentionally unused parameter).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      "react-hooks/exhaustive-deps": "error",
      // Queries render what the server rendered while hydrating (see hydration-safe-query.ts).
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@tanstack/react-query",
              importNames: ["useQuery", "useQueries", "useInfiniteQuery", "useSuspenseQuery"],
              message:
                "Import queries from @/lib/client/queries/hydration-safe-query (React #418 otherwise).",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["lib/client/queries/hydration-safe-query.ts"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    // Tests read JSON answers loosely (`body.error.details[0].field`); their assertions check the shapes.
    files: ["tests/**", "e2e/**", "**/*.test.ts", "tools/gitlab-sim/test-helpers.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  globalIgnores([
    ".next/**",
    "node_modules/**",
    "lib/generated/**",
    "playwright-report/**",
    "test-results/**",
    ".data/**",
    "next-env.d.ts",
  ]),
]);
