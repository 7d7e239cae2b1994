import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";

// `next build` loads instrumentation and prerenders pages in its workers (NEXT_PHASE set to
// phase-production-build). A build must not open the database, read or write the secret key, or
// create the data directory: a Docker image built that way would ship a database and a lock.

const saved = { ...process.env };
let dataDir: string;

beforeAll(() => {
  dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "flagpost-build-")), "data");
  process.env.FLAGPOST_DATA_DIR = dataDir;
  delete process.env.DATABASE_URL;
  delete process.env.FLAGPOST_SECRET_KEY;
  resetEnvForTests();
});
afterAll(() => {
  process.env = saved;
  resetEnvForTests();
  fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
});

const dbState = () => (globalThis as { __flagpostDb?: unknown }).__flagpostDb;

describe("the build-time paths", () => {
  it("instrumentation does not boot the server during `next build`", async () => {
    process.env.NEXT_RUNTIME = "nodejs";
    process.env.NEXT_PHASE = "phase-production-build";
    const { register } = await import("@/instrumentation");
    await register();
    expect(fs.existsSync(dataDir)).toBe(false);
    expect(dbState()).toBeUndefined();
  });

  it("a page asking for the current user outside a request stops before the database", async () => {
    const { currentUser } = await import("@/lib/auth/session");
    // At prerender, headers() throws (the page is dynamic); here, outside any request, too.
    await expect(currentUser()).rejects.toThrow();
    expect(fs.existsSync(dataDir)).toBe(false);
    expect(dbState()).toBeUndefined();
  });
});
