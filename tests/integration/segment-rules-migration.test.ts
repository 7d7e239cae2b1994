import { describe, expect, it } from "vitest";
import { applyMigrations, readMigrations } from "@/lib/db/migrate";
import { openDatabase } from "@/lib/db/open-database";
import { evaluateContext } from "@/lib/engine";
import { assembleEvaluationContext } from "@/lib/flags/evaluation-context";

// The evaluation model's migration turns every old, unstructured segment `rules` blob into an empty
// rule set, keeping the blob in legacy_rules and writing one audit row per segment it changed (in
// that segment's organisation and project, by "Flagpost upgrade"); the blob is never evaluated.

const EVALUATION_MIGRATION = readMigrations().findIndex((migration) =>
  migration.name.endsWith("_evaluation_model"),
);

describe("segment rules migration", () => {
  it("keeps old blobs in legacy_rules, empties the rules, audits each migrated segment and never evaluates the blob", async () => {
    expect(EVALUATION_MIGRATION).toBeGreaterThan(0);
    // Its own in-memory database, migrated up to just before the evaluation model.
    const db = await openDatabase({ kind: "memory" }, { migrate: false });
    try {
      await applyMigrations(db.sql, readMigrations().slice(0, EVALUATION_MIGRATION));
      await db.sql.exec(`
        INSERT INTO organisations (id, name) VALUES (1, 'Acme'), (2, 'Globex');
        INSERT INTO projects (id, organisation_id, name) VALUES (1, 1, 'Shop'), (2, 2, 'Billing');
        INSERT INTO segments (id, project_id, name, rules) VALUES
          (1, 1, 'beta', '[{"type": "ALL", "conditions": [{"property": "plan", "operator": "EQUAL", "value": "pro"}]}]'),
          (2, 1, 'odd', '{"anything": ["goes", 1]}'),
          (3, 1, 'empty', '[]'),
          (4, 2, 'blank object', '{}'),
          (5, 2, 'a string', '"plan = pro"');`);
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
        { id: 4, rules: [], legacy_rules: {} },
        { id: 5, rules: [], legacy_rules: "plan = pro" },
      ]);
      const audit = await db.sql.query<{
        organisation_id: number;
        project_id: number;
        actor_label: string;
        action: string;
        entity_type: string;
        entity_id: string;
        summary: string;
        changes: unknown;
      }>(
        "SELECT organisation_id, project_id, actor_label, action, entity_type, entity_id, summary, changes FROM audit_logs ORDER BY entity_id",
      );
      expect(audit).toEqual([
        {
          organisation_id: 1,
          project_id: 1,
          actor_label: "Flagpost upgrade",
          action: "UPDATE",
          entity_type: "segment",
          entity_id: "1",
          summary: "Moved the unstructured rules of segment beta to legacy_rules; it now has no rules",
          changes: { rules: { from: segments[0]!.legacy_rules, to: [] } },
        },
        {
          organisation_id: 1,
          project_id: 1,
          actor_label: "Flagpost upgrade",
          action: "UPDATE",
          entity_type: "segment",
          entity_id: "2",
          summary: "Moved the unstructured rules of segment odd to legacy_rules; it now has no rules",
          changes: { rules: { from: { anything: ["goes", 1] }, to: [] } },
        },
        // Each row in its own organisation's and project's log.
        {
          organisation_id: 2,
          project_id: 2,
          actor_label: "Flagpost upgrade",
          action: "UPDATE",
          entity_type: "segment",
          entity_id: "4",
          summary:
            "Moved the unstructured rules of segment blank object to legacy_rules; it now has no rules",
          changes: { rules: { from: {}, to: [] } },
        },
        {
          organisation_id: 2,
          project_id: 2,
          actor_label: "Flagpost upgrade",
          action: "UPDATE",
          entity_type: "segment",
          entity_id: "5",
          summary: "Moved the unstructured rules of segment a string to legacy_rules; it now has no rules",
          changes: { rules: { from: "plan = pro", to: [] } },
        },
      ]);

      // The old blob is never evaluated: a migrated segment matches nobody, even an identity its
      // old rules described, so its overrides stay off until someone writes real rules.
      const context = assembleEvaluationContext(
        {
          environment: { id: 1, apiKey: "env-key", name: "Production" },
          features: [
            {
              id: 1,
              name: "banner",
              options: [],
              state: { id: 1, enabled: false, valueType: "STRING", value: "plain", multivariateValues: [] },
            },
          ],
          segments: [
            {
              id: 1,
              name: "beta",
              rules: segments[0]!.rules,
              overrides: [
                {
                  id: 2,
                  featureId: 1,
                  priority: 0,
                  enabled: true,
                  valueType: "STRING",
                  value: "for beta",
                  multivariateValues: [],
                },
              ],
            },
          ],
        },
        {
          id: 1,
          identifier: "pro-user",
          traits: [{ key: "plan", valueType: "STRING", value: "pro" }],
          overrides: [],
        },
      );
      const result = evaluateContext(context);
      expect(result.segments).toEqual([]);
      expect(result.flags.banner).toMatchObject({ enabled: false, value: "plain", reason: "DEFAULT" });
    } finally {
      await db.close();
    }
  });
});
