import { describe, expect, it } from "vitest";
import { countConditions, describeRules, editableRules } from "@/lib/client/format/segment-rules";
import type { SegmentRule } from "@/lib/engine/types";

describe("describeRules", () => {
  it("says when a segment has no rules", () => {
    expect(describeRules([])).toBe("No rules (matches no one)");
    expect(describeRules(null)).toBe("No rules (matches no one)");
  });

  it("reads nested ALL/ANY/NONE groups and every value form", () => {
    const rules: SegmentRule[] = [
      {
        type: "ALL",
        conditions: [
          { property: "plan", operator: "EQUAL", value: "enterprise" },
          { property: "", operator: "PERCENTAGE_SPLIT", value: "25" },
        ],
        rules: [
          {
            type: "ANY",
            conditions: [
              { property: "country", operator: "IN", value: "DE,FR" },
              { property: "user_id", operator: "MODULO", value: "2|0" },
              { property: "city", operator: "IN", value: '["Paris, TX"]' },
            ],
          },
          { type: "NONE", conditions: [{ property: "banned", operator: "IS_SET", value: null }] },
        ],
      },
    ];
    expect(describeRules(rules)).toBe(
      "plan equals enterprise and 25% of identities and (country is one of DE, FR or user_id % 2 = 0 or city is one of Paris, TX)" +
        " and (not (banned is set))",
    );
    expect(countConditions(rules)).toBe(6);
  });
});

describe("editableRules", () => {
  it("fills in missing lists and turns IN arrays into Flagsmith's comma list", () => {
    expect(
      editableRules([
        {
          type: "ANY",
          conditions: [
            { property: "country", operator: "IN", value: ["DE", "FR"] },
            { property: "city", operator: "IN", value: ["Paris, TX", "Berlin"] },
            { property: "beta", operator: "IS_SET", value: null },
          ],
        },
      ]),
    ).toEqual([
      {
        type: "ANY",
        conditions: [
          { property: "country", operator: "IN", value: "DE,FR" },
          { property: "city", operator: "IN", value: '["Paris, TX","Berlin"]' },
          { property: "beta", operator: "IS_SET", value: null },
        ],
        rules: [],
      },
    ]);
  });
});
