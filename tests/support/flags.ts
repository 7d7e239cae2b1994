import { expect } from "vitest";
import * as environmentsRoute from "@/app/api/v1/environments/route";
import * as featuresRoute from "@/app/api/v1/projects/[projectId]/features/route";
import * as projectsRoute from "@/app/api/v1/projects/route";
import { currentDatabase, setCurrentDatabase } from "@/lib/db/client";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { call, type CallResult } from "@/tests/support/api";

// Building blocks for flag tests: projects, environments and features created through the API (so
// their states and audit rows are real), and a counter of database operations.

/** Asserts a status, showing the answer when it differs, and returns the body. */
export function expectStatus<T = any>(result: CallResult<T>, status: number): T {
  expect(result.status, JSON.stringify(result.body)).toBe(status);
  return result.body;
}

export interface TestEnvironment {
  id: number;
  name: string;
  api_key: string;
  protected: boolean;
}

export async function createProjectWithEnvironments(
  apiKey: string,
  environmentNames: string[] = ["Development", "Production"],
) {
  const project = expectStatus(
    await call(projectsRoute.POST, "POST", "/api/v1/projects/", {
      apiKey,
      body: { name: `Project ${Math.random().toString(36).slice(2, 8)}` },
    }),
    201,
  );
  const environments: TestEnvironment[] = [];
  for (const name of environmentNames) {
    environments.push(
      expectStatus(
        await call(environmentsRoute.POST, "POST", "/api/v1/environments/", {
          apiKey,
          body: { name, project: project.id },
        }),
        201,
      ),
    );
  }
  return { project: project as { id: number; name: string; organisation: number }, environments };
}

export async function createFeature(apiKey: string, projectId: number, body: Record<string, unknown>) {
  return expectStatus(
    await call(featuresRoute.POST, "POST", `/api/v1/projects/${projectId}/features/`, {
      apiKey,
      params: { projectId },
      body,
    }),
    201,
  );
}

/**
 * Runs `work` against the process database while counting the Prisma operations it issues (each
 * query, including one with includes, counts once), to prove a code path does not grow per row.
 */
export async function countDatabaseOperations<T>(
  work: () => Promise<T>,
): Promise<{ result: T; operations: number }> {
  const db = currentDatabase();
  let operations = 0;
  const counting = db.prisma.$extends({
    query: {
      $allOperations({ args, query }) {
        operations += 1;
        return query(args);
      },
    },
  });
  setCurrentDatabase({ ...db, prisma: counting as unknown as PrismaClient });
  try {
    const result = await work();
    return { result, operations };
  } finally {
    setCurrentDatabase(db);
  }
}
