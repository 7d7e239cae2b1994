import "server-only";
import type { Database } from "@/lib/db/open-database";

/**
 * One instance per open database (the app's and each test's), created on first use and kept
 * across module reloads (`name` must be unique).
 */
export function perDatabase<T>(name: string, create: (db: Database) => T): (db: Database) => T {
  const registries = globalThis as unknown as Record<string, WeakMap<Database, T> | undefined>;
  const slot = `__flagpost_${name}`;
  return (db) => {
    const registry = (registries[slot] ??= new WeakMap());
    let instance = registry.get(db);
    if (!instance) {
      instance = create(db);
      registry.set(db, instance);
    }
    return instance;
  };
}
