import { describe, expect, it } from "vitest";
import { applyMigrations, readMigrations } from "@/lib/db/migrate";
import { openDatabase } from "@/lib/db/open-database";

// The evaluation model's migration turns every old, unstructured segment `rules` blob into an empty
// rule set, keeping the blob in legacy_rules and writing one audit row per segment it changed.

const EVALUATION_MIGRATION = readMigrations().findIndex((migration) =>
  migration.name.endsWith("_evaluation_model"),
);

describe("segment rules migration", () => {
  it("keeps old blobs in legacy_rules, empties the rules and audits each migrated segment", async () => {
    expect(EVALUATION_MIGRATION).toBeGreaterThan(0);
    // Its own in-memory database, migrated up to just before the evaluation model.
    const db = await openDatabase({ kind: "memory" }, { migrate: false });
    try {
      await applyMigrations(db.sql, readMigrations().slice(0, EVALUATION_MIGRATION));
      await db.sql.exec(`
        INSERT INTO organisations (id, name) VALUES (1, 'Acme');
        INSERT INTO projects (id, organisation_id, name) VALUES (1, 1, 'Shop');
        INSERT INTO segments (id, project_id, name, rules) VALUES
          (1, 1, 'beta', '[{"type": "ALL", "conditions": [{"property": "plan", "operator": "EQUAL", "value": "pro"}]}]'),
          (2, 1, 'odd', '{"anything": ["goes", 1]}'),
          (3, 1, 'empty', '[]');`);
      await applyMigrations(db.sql);

      const segments = await db.sql.query<{ id: number; rules: unknown; legacy_rules: unknown }>(
        "SELECT id, rules, legacy_rules FROM segments ORDER BY id",
      );
      expect(segments).toEqual([
        {
          id: 1,
          rules: [],
          legacy_rules: [
            { type: "ALL", conditions: [{ property: "plan", operator: "EQUAL", value: "pro" }] },
          ],
        },
        { id: 2, rules: [], legacy_rules: { anything: ["goes", 1] } },
        { id: 3, rules: [], legacy_rules: null },
      ]);
      const audit = await db.sql.query<{
        organisation_id: number;
        project_id: number;
        entity_type: string;
        entity_id: string;
        summary: string;
        changes: unknown;
      }>(
        "SELECT organisation_id, project_id, entity_type, entity_id, summary, changes FROM audit_logs ORDER BY entity_id",
      );
      expect(audit).toEqual([
        {
          organisation_id: 1,
          project_id: 1,
          entity_type: "segment",
          entity_id: "1",
          summary: "Moved the unstructured rules of segment beta to legacy_rules; it now has no rules",
          changes: { rules: { from: segments[0]!.legacy_rules, to: [] } },
        },
        {
          organisation_id: 1,
          project_id: 1,
          entity_type: "segment",
          entity_id: "2",
          summary: "Moved the unstructured rules of segment odd to legacy_rules; it now has no rules",
          changes: { rules: { from: { anything: ["goes", 1] }, to: [] } },
        },
      ]);
    } finally {
      await db.close();
    }
  });
});
