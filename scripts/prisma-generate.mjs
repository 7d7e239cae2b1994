// Runs `prisma generate` without network access. Prisma 7's CLI downloads a native schema engine
// before every command unless PRISMA_SCHEMA_ENGINE_BINARY names an existing file; generation itself
// runs in WASM and never uses that binary, so any existing file will do.
import { spawnSync } from "node:child_process";
import process from "node:process";

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  CHECKPOINT_DISABLE: "1",
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
};
const result = spawnSync("npx", ["--no-install", "prisma", "generate"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
