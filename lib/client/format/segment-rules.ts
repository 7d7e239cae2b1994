import type { ConditionOperator, RuleType, SegmentCondition, SegmentRule } from "@/lib/engine/types";

// Segment rules in words, for the segments list ("plan = enterprise and (country in DE, FR or …)").

export const OPERATOR_LABELS: Record<ConditionOperator, string> = {
  EQUAL: "equals",
  NOT_EQUAL: "does not equal",
  GREATER_THAN: ">",
  GREATER_THAN_INCLUSIVE: "≥",
  LESS_THAN: "<",
  LESS_THAN_INCLUSIVE: "≤",
  CONTAINS: "contains",
  NOT_CONTAINS: "does not contain",
  REGEX: "matches regex",
  MODULO: "modulo",
  IN: "is one of",
  IS_SET: "is set",
  IS_NOT_SET: "is not set",
  PERCENTAGE_SPLIT: "percentage split",
};

export const RULE_TYPE_LABELS: Record<RuleType, string> = {
  ALL: "All of these match",
  ANY: "Any of these matches",
  NONE: "None of these matches",
};

const joiners: Record<RuleType, string> = { ALL: " and ", ANY: " or ", NONE: " or " };

/** IN's members from a stored string: a JSON array in a string, or a comma list (as the engine reads it). */
function inMembers(text: string): string[] {
  if (text.trimStart().startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // Not JSON after all: a comma list that starts with "[".
    }
  }
  return text.split(",");
}

function describeCondition(condition: SegmentCondition): string {
  const { property, operator, value } = condition;
  switch (operator) {
    case "IS_SET":
    case "IS_NOT_SET":
      return `${property} ${OPERATOR_LABELS[operator]}`;
    case "PERCENTAGE_SPLIT":
      return `${String(value)}% of identities`;
    case "MODULO": {
      const [divisor, remainder] = String(value).split("|");
      return `${property} % ${divisor} = ${remainder}`;
    }
    case "IN": {
      const members = Array.isArray(value) ? value : inMembers(String(value));
      return `${property} is one of ${members.map((member) => member.trim()).join(", ")}`;
    }
    default:
      return `${property} ${OPERATOR_LABELS[operator]} ${String(value)}`;
  }
}

function describeRule(rule: SegmentRule): string {
  const parts = [
    ...(rule.conditions ?? []).map(describeCondition),
    ...(rule.rules ?? []).map((inner) => `(${describeRule(inner)})`),
  ].filter(Boolean);
  if (!parts.length) return rule.type === "NONE" ? "anyone" : "no one";
  const joined = parts.join(joiners[rule.type]);
  return rule.type === "NONE" ? `not (${joined})` : joined;
}

/** One line for a segment's rules; "no rules" when there are none (such a segment matches no one). */
export function describeRules(rules: unknown): string {
  if (!Array.isArray(rules) || rules.length === 0) return "No rules (matches no one)";
  return (rules as SegmentRule[]).map(describeRule).join(" and ");
}

/** How many conditions the rule tree holds, at every level. */
export function countConditions(rules: readonly SegmentRule[]): number {
  return rules.reduce(
    (total, rule) => total + (rule.conditions?.length ?? 0) + countConditions(rule.rules ?? []),
    0,
  );
}

/**
 * Stored rules as the rule builder edits them: every group with both lists, values as text, IN
 * lists as Flagsmith's comma list (or a JSON array in a string when a member holds a comma).
 */
export function editableRules(rules: readonly SegmentRule[]): SegmentRule[] {
  return rules.map((rule) => ({
    type: rule.type,
    conditions: (rule.conditions ?? []).map((condition) => ({
      property: condition.property ?? "",
      operator: condition.operator,
      value: Array.isArray(condition.value)
        ? condition.value.some((member) => member.includes(","))
          ? JSON.stringify(condition.value)
          : condition.value.join(",")
        : condition.value === null || condition.value === undefined
          ? null
          : String(condition.value),
    })),
    rules: editableRules(rule.rules ?? []),
  }));
}
