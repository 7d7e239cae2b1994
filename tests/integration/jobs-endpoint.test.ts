import { afterEach, describe, expect, it } from "vitest";
import * as route from "@/app/api/internal/jobs/run/route";
import { resetEnvForTests } from "@/lib/env";
import { prisma } from "@/lib/db/client";
import { enqueueJob } from "@/lib/jobs/queue";
import { defineJobKind } from "@/lib/jobs/registry";
import { z } from "zod";
import { call, expectError } from "@/tests/support/api";

// A kind with a payload schema but no registered handler: the worker must fail it visibly.
defineJobKind("kind.without.handler", z.object({}));

describe("POST /api/internal/jobs/run", () => {
  afterEach(() => {
    delete process.env.FLAGPOST_INTERNAL_SECRET;
    resetEnvForTests();
  });

  it("is closed (404) while no internal secret is configured", async () => {
    expectError(
      await call(route.POST, "POST", "/api/internal/jobs/run", {
        headers: { authorization: "Bearer anything" },
      }),
      404,
    );
  });

  it("refuses a wrong or missing secret and drains a batch with the right one", async () => {
    process.env.FLAGPOST_INTERNAL_SECRET = "s3cret-value-for-the-scheduler";
    resetEnvForTests();
    expectError(await call(route.POST, "POST", "/api/internal/jobs/run"), 401, "unauthorized");
    expectError(
      await call(route.POST, "POST", "/api/internal/jobs/run", { headers: { authorization: "Bearer nope" } }),
      401,
    );
    await enqueueJob(prisma, { kind: "kind.without.handler", payload: {} });
    const ok = await call(route.POST, "POST", "/api/internal/jobs/run/", {
      headers: { authorization: "Bearer s3cret-value-for-the-scheduler" },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ succeeded: 0, retried: 0, failed: 1, paused: 0 });
    expect(await prisma.job.findFirstOrThrow({ where: { kind: "kind.without.handler" } })).toMatchObject({
      status: "FAILED",
      lastError: expect.stringContaining("No handler"),
    });
  });
});
