import "server-only";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { PGlite } from "@electric-sql/pglite";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { MIGRATIONS_DIR } from "@/lib/db/migrate";

// Development-time access to Prisma's schema engine compiled to WASM (the native engine cannot be
// downloaded here). Used to write the next migration and to check schema.prisma against the
// migration history. Never imported by the running application.

type SchemaEngineModule = typeof import("@prisma/schema-engine-wasm/schema_engine_bg");
type MigrationList = import("@prisma/schema-engine-wasm/schema_engine_bg").MigrationList;

export const SCHEMA_PATH = path.join(process.cwd(), "prisma", "schema.prisma");
const filters = { externalTables: [], externalEnums: [] };

let loaded: Promise<SchemaEngineModule> | undefined;

function loadEngineModule(): Promise<SchemaEngineModule> {
  loaded ??= (async () => {
    const bindings = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const require = createRequire(import.meta.url);
    const wasmFile = path.join(
      path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg")),
      "schema_engine_bg.wasm",
    );
    const { instance } = await WebAssembly.instantiate(fs.readFileSync(wasmFile), {
      "./schema_engine_bg.js": bindings,
    });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
    return bindings;
  })();
  return loaded;
}

function readMigrationList(dir: string = MIGRATIONS_DIR): MigrationList {
  const lockfile = path.join(dir, "migration_lock.toml");
  const directories = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b));
  return {
    baseDir: dir,
    lockfile: {
      path: "migration_lock.toml",
      content: fs.existsSync(lockfile) ? fs.readFileSync(lockfile, "utf8") : null,
    },
    shadowDbInitScript: "",
    migrationDirectories: directories.map((name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: {
          tag: "ok" as const,
          value: fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8"),
        },
      },
    })),
  };
}

/**
 * SQL that brings a database built from the migrations up to `schema`; an empty string when the
 * two agree. The engine replays the migrations on a scratch in-memory database.
 */
export async function diffMigrationsToSchema(
  schema: string = fs.readFileSync(SCHEMA_PATH, "utf8"),
  dir: string = MIGRATIONS_DIR,
): Promise<string> {
  const bindings = await loadEngineModule();
  const scratch = new PGlite("memory://");
  try {
    const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPGlite(scratch));
    const engine = await bindings.SchemaEngine.new(
      { datamodels: [["schema.prisma", schema]] },
      () => undefined,
      adapter,
    );
    const result = await engine.diff({
      from: { tag: "migrations", ...readMigrationList(dir) },
      to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: schema }] },
      script: true,
      exitCode: true,
      filters,
    });
    return result.exitCode === 2 ? (result.stdout ?? "") : "";
  } finally {
    await scratch.close();
  }
}

/** Diagnoses a live PostgreSQL database's migration history the way `prisma migrate` would. */
export async function diagnoseMigrationHistory(url: string, dir: string = MIGRATIONS_DIR) {
  const bindings = await loadEngineModule();
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const schema = fs.readFileSync(SCHEMA_PATH, "utf8");
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: url }));
  const engine = await bindings.SchemaEngine.new(
    { datamodels: [["schema.prisma", schema]] },
    () => undefined,
    adapter,
  );
  return engine.diagnoseMigrationHistory({
    migrationsList: readMigrationList(dir),
    optInToShadowDatabase: false,
    filters,
  });
}
