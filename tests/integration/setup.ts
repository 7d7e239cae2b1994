import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { registerProviders } from "@/lib/server/providers";
import { openTestDatabase } from "@/tests/support/test-database";

// Runs before every integration test file: a private data directory (for generated secrets), a
// fixed public URL, and a fresh migrated database installed as the process database.

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "flagpost-it-"));
process.env.FLAGPOST_DATA_DIR = dataDir;
process.env.FLAGPOST_PUBLIC_URL = "http://localhost:3000";
process.env.FLAGPOST_LOG_LEVEL ??= "warn";
process.env.GITLAB_ALLOW_PRIVATE_NETWORK = "true";
process.env.FLAGPOST_WORKER = "false";
resetEnvForTests();
// As the server does at boot: GitLab's job handlers, job group and audit subscriber.
registerProviders();

let dispose: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ dispose } = await openTestDatabase());
});

afterAll(async () => {
  await dispose?.();
  fs.rmSync(dataDir, { recursive: true, force: true });
});
