import { z } from "zod";
// The engine's modules one by one, not its index: the rule builder runs this schema in the browser,
// and the index pulls in the hashing module (node:crypto).
import { isSupportedPathProperty } from "@/lib/engine/properties";
import { checkRegexPattern } from "@/lib/engine/regex";
import { CONDITION_OPERATORS, RULE_TYPES } from "@/lib/engine/types";
import type { SegmentCondition, SegmentRule } from "@/lib/engine/types";

// A segment's rules in Flagsmith's model (a rule: type ALL | ANY | NONE, conditions, nested rules;
// a condition: property, operator, value). Checked here, on the way in, so the engine only ever
// sees rules it can evaluate: a stored rule tree never fails at evaluation time. Shared by the
// segment API, the segment tester and the rule builder.

export const MAX_RULE_DEPTH = 10;
const MAX_SEGMENT_CONDITIONS = 100;
const MAX_CONDITION_VALUE_LENGTH = 1_000;
const MAX_IN_MEMBERS = 1_000;

/** Condition values are strings in Flagsmith's model; numbers and booleans are accepted as their text. */
const scalarValue = z.union([
  z
    .string()
    .max(MAX_CONDITION_VALUE_LENGTH, `Values must be at most ${MAX_CONDITION_VALUE_LENGTH} characters`),
  z.number().finite().transform(String),
  z.boolean().transform(String),
]);

const conditionSchema = z
  .object({
    property: z
      .string({ error: "A condition needs a property (a trait name or a $. path)" })
      .trim()
      .max(1_000, "Properties must be at most 1,000 characters"),
    operator: z.enum(CONDITION_OPERATORS, {
      error: `Operator must be one of ${CONDITION_OPERATORS.join(", ")}`,
    }),
    value: z.union([scalarValue, z.array(scalarValue).max(MAX_IN_MEMBERS), z.null()]).optional(),
  })
  .superRefine((condition, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    const { operator, property } = condition;
    const value = condition.value ?? null;
    if (operator !== "PERCENTAGE_SPLIT" && property === "") issue("property", "A condition needs a property");
    if (property.startsWith("$.") && !isSupportedPathProperty(property)) {
      issue("property", `${property} is not a path Flagpost can evaluate ($.identity.…, $.environment.…)`);
    }
    if (Array.isArray(value) && operator !== "IN") issue("value", "Only IN takes a list of values");
    if (operator === "IS_SET" || operator === "IS_NOT_SET") return;
    if (value === null || value === "") {
      issue("value", `${operator} needs a value`);
      return;
    }
    if (Array.isArray(value)) return;
    switch (operator) {
      case "REGEX": {
        const check = checkRegexPattern(value);
        if (!check.ok) issue("value", check.reason);
        break;
      }
      case "MODULO": {
        const [divisor, remainder, ...rest] = value.split("|");
        const number = (text: string | undefined) =>
          text !== undefined && text.trim() !== "" && Number.isFinite(Number(text));
        if (rest.length || !number(divisor) || !number(remainder)) {
          issue("value", 'MODULO takes "divisor|remainder", e.g. "2|0"');
        } else if (Number(divisor) === 0) {
          issue("value", "MODULO's divisor must not be 0");
        }
        break;
      }
      case "PERCENTAGE_SPLIT": {
        const percentage = Number(value);
        if (!Number.isFinite(percentage) || percentage < 0 || percentage > 100) {
          issue("value", "PERCENTAGE_SPLIT takes a percentage from 0 to 100");
        }
        break;
      }
    }
  });

interface RuleInput {
  type: SegmentRule["type"];
  conditions?: SegmentCondition[];
  rules?: RuleInput[];
}

const ruleSchema: z.ZodType<RuleInput> = z.lazy(() =>
  z.object({
    type: z.enum(RULE_TYPES, { error: `Rule type must be one of ${RULE_TYPES.join(", ")}` }),
    conditions: z.array(conditionSchema).max(MAX_SEGMENT_CONDITIONS).optional(),
    rules: z.array(ruleSchema).max(MAX_SEGMENT_CONDITIONS).optional(),
  }),
) as z.ZodType<RuleInput>;

function depthAndConditions(
  rules: readonly RuleInput[],
  depth: number,
): { depth: number; conditions: number } {
  let deepest = rules.length ? depth : depth - 1;
  let conditions = 0;
  for (const rule of rules) {
    conditions += rule.conditions?.length ?? 0;
    const inner = depthAndConditions(rule.rules ?? [], depth + 1);
    deepest = Math.max(deepest, inner.depth);
    conditions += inner.conditions;
  }
  return { depth: deepest, conditions };
}

/** A segment's rule tree: at most 10 levels deep and 100 conditions in all. */
export const segmentRulesField = z
  .array(ruleSchema)
  .max(MAX_SEGMENT_CONDITIONS)
  .superRefine((rules, ctx) => {
    const { depth, conditions } = depthAndConditions(rules, 1);
    if (depth > MAX_RULE_DEPTH) {
      ctx.addIssue({
        code: "custom",
        message: `Rules may nest at most ${MAX_RULE_DEPTH} levels (found ${depth})`,
      });
    }
    if (conditions > MAX_SEGMENT_CONDITIONS) {
      ctx.addIssue({
        code: "custom",
        message: `A segment may have at most ${MAX_SEGMENT_CONDITIONS} conditions (found ${conditions})`,
      });
    }
  })
  .transform((rules) => rules as SegmentRule[]);
