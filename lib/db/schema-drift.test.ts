import { describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { diffMigrationsToSchema, SCHEMA_PATH } from "@/lib/db/schema-engine";
import { MIGRATIONS_DIR } from "@/lib/db/migrate";

// schema.prisma and prisma/migrations must describe the same database: a schema change without
// `npm run db:migration -- <name>` fails here.
describe("schema.prisma and the committed migrations", () => {
  it("agree", async () => {
    const missing = await diffMigrationsToSchema();
    expect(
      missing,
      `schema.prisma has changes with no migration; run npm run db:migration -- <name>:\n${missing}`,
    ).toBe("");
  }, 60_000);

  it("would be caught disagreeing (a model added without a migration)", async () => {
    const schema = `${fs.readFileSync(SCHEMA_PATH, "utf8")}\nmodel DriftProbe {\n  id Int @id\n}\n`;
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "flagpost-drift-"));
    fs.cpSync(MIGRATIONS_DIR, copy, { recursive: true });
    const missing = await diffMigrationsToSchema(schema, copy);
    expect(missing).toContain('CREATE TABLE "DriftProbe"');
    fs.rmSync(copy, { recursive: true, force: true });
  }, 60_000);
});
