import { describe, expect, it } from "vitest";
import { describePendingRule, renderStatusNote, type PendingRule } from "@/lib/vcs/status-comment";

const rule = (overrides: Partial<PendingRule> = {}): PendingRule => ({
  ruleId: 12,
  action: "enable",
  value: null,
  environments: ["Production"],
  trigger: "merged",
  itemKind: "MR",
  delaySeconds: 86_400,
  runAt: null,
  ...overrides,
});

describe("pending release rules on a status note", () => {
  it("says what will happen, where and when", () => {
    expect(describePendingRule(rule())).toBe(
      "⏳ will enable in Production 1 d after this MR merges (rule #12)",
    );
    expect(describePendingRule(rule({ delaySeconds: 3_600 * 24 + 3_600 }))).toContain("25 h after");
    expect(
      describePendingRule(rule({ delaySeconds: 0, action: "disable", trigger: "closed", itemKind: "issue" })),
    ).toBe("⏳ will disable in Production when this issue closes (rule #12)");
    expect(describePendingRule(rule({ action: "set_value", value: "v_2", environments: ["A|B", "C"] }))).toBe(
      "⏳ will set `v_2` in A\\|B, C 1 d after this MR merges (rule #12)",
    );
    expect(describePendingRule(rule({ runAt: new Date("2026-12-04T07:00:00.000Z") }))).toBe(
      "⏳ will enable in Production at 2026-12-04 07:00:00 UTC (rule #12)",
    );
  });

  it("lists them under their own heading only when there are some", () => {
    const base = {
      featureId: 1,
      projectId: 1,
      name: "f",
      description: "",
      environments: [],
      segmentOverrides: [],
      recentChanges: [],
    };
    expect(renderStatusNote(base, "https://flags.example.com")).not.toContain("Release rules");
    const body = renderStatusNote({ ...base, pendingRules: [rule()] }, "https://flags.example.com");
    expect(body).toContain("**Release rules**\n\n- ⏳ will enable in Production 1 d after this MR merges");
  });
});
