import { describe, expect, it } from "vitest";
import * as healthRoute from "@/app/api/health/route";
import * as setupRoute from "@/app/api/v1/setup/route";
import { currentDatabase, prisma, setCurrentDatabase } from "@/lib/db/client";
import { call, expectError } from "@/tests/support/api";
import { expectStatus } from "@/tests/support/flags";

// Runs in its own database, which starts without any user.

describe("first-run setup and health", () => {
  it("offers setup while nobody exists, creates the first admin once, then refuses (409)", async () => {
    expect(expectStatus(await call(setupRoute.GET, "GET", "/api/v1/setup/"), 200)).toEqual({
      needs_setup: true,
    });

    const invalid = await call(setupRoute.POST, "POST", "/api/v1/setup/", {
      body: { email: "not-an-email", password: "short" },
    });
    expectError(invalid, 422, "unprocessable_entity");
    expect(invalid.body.error.details.map((detail: { field: string }) => detail.field).sort()).toEqual([
      "body.email",
      "body.password",
    ]);
    expectError(await call(setupRoute.POST, "POST", "/api/v1/setup", { rawBody: "{" }), 400, "bad_request");

    const created = await call(setupRoute.POST, "POST", "/api/v1/setup", {
      body: {
        email: "Owner@Example.com",
        password: "correct horse battery",
        name: "Owner",
        organisation_name: "Acme",
      },
    });
    expect(expectStatus(created, 201)).toEqual({
      user: { id: expect.any(Number), email: "owner@example.com", name: "Owner" },
      organisation: { id: expect.any(Number), name: "Acme" },
    });
    const membership = await prisma.organisationMember.findFirstOrThrow({
      where: { userId: created.body.user.id },
    });
    expect(membership).toMatchObject({ organisationId: created.body.organisation.id, role: "ADMIN" });

    expect(expectStatus(await call(setupRoute.GET, "GET", "/api/v1/setup"), 200)).toEqual({
      needs_setup: false,
    });
    expectError(
      await call(setupRoute.POST, "POST", "/api/v1/setup/", {
        body: { email: "late@example.com", password: "correct horse battery" },
      }),
      409,
      "conflict",
    );
    expect(await prisma.user.count()).toBe(1);
  });

  it("reports the database as reachable, and 503 without details when it is not", async () => {
    const healthy = await call(healthRoute.GET, "GET", "/api/health");
    expect(healthy.status).toBe(200);
    expect(healthy.body).toEqual({
      status: "ok",
      database: "ok",
      database_kind: process.env.TEST_DATABASE_URL ? "postgres" : "embedded",
    });
    expect(healthy.headers.get("cache-control")).toBe("no-store");

    const db = currentDatabase();
    setCurrentDatabase({
      ...db,
      sql: { ...db.sql, query: () => Promise.reject(new Error("connection refused at 10.0.0.5:5432")) },
    });
    try {
      const down = await call(healthRoute.GET, "GET", "/api/health");
      expect(down.status).toBe(503);
      expect(down.body).toEqual({ status: "error", database: "unreachable" });
    } finally {
      setCurrentDatabase(db);
    }
  });
});
