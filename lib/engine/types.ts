// Flagsmith's published evaluation shapes (Flagsmith/flagsmith → sdk/evaluation-context.json and
// sdk/evaluation-result.json). Field names are Flagsmith's, so a context written for Flagsmith's
// engine evaluates here unchanged.

export type ContextValue = string | number | boolean | null;

export const CONDITION_OPERATORS = [
  "EQUAL",
  "NOT_EQUAL",
  "GREATER_THAN",
  "GREATER_THAN_INCLUSIVE",
  "LESS_THAN",
  "LESS_THAN_INCLUSIVE",
  "CONTAINS",
  "NOT_CONTAINS",
  "REGEX",
  "MODULO",
  "IN",
  "IS_SET",
  "IS_NOT_SET",
  "PERCENTAGE_SPLIT",
] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

export const RULE_TYPES = ["ALL", "ANY", "NONE"] as const;
export type RuleType = (typeof RULE_TYPES)[number];

export interface SegmentCondition {
  property: string;
  operator: ConditionOperator;
  /** A string; IN also takes an array of strings. */
  value: string | string[] | null;
}

export interface SegmentRule {
  type: RuleType;
  conditions?: SegmentCondition[];
  rules?: SegmentRule[];
}

export interface FeatureValue {
  /** Optional stable name of the variant, returned as the flag result's `variant`. */
  key?: string;
  value: ContextValue;
  /** Percentage, 0–100. */
  weight: number;
  /** Lower first when the split is laid out. */
  priority: number;
}

export interface FeatureContext {
  /** Hashed with the identity key to pick a variant. */
  key: string;
  name: string;
  enabled: boolean;
  value: ContextValue;
  variants?: FeatureValue[];
  /** Lower wins when several matched segments override the same feature (-Infinity: identity override). */
  priority?: number;
  metadata?: Record<string, unknown>;
}

export interface SegmentContext {
  /** Hashed with the identity key for PERCENTAGE_SPLIT. */
  key: string;
  name: string;
  rules: SegmentRule[];
  overrides?: FeatureContext[];
  metadata?: Record<string, unknown>;
}

interface IdentityContext {
  identifier: string;
  /** Defaults to `${environment.key}_${identifier}`, like Flagsmith's SDKs. */
  key?: string;
  traits?: Record<string, ContextValue>;
}

export interface EvaluationContext {
  environment: { key: string; name: string };
  identity?: IdentityContext | null;
  segments?: Record<string, SegmentContext>;
  features?: Record<string, FeatureContext>;
}

export interface FlagResult {
  name: string;
  enabled: boolean;
  value: ContextValue;
  /** "DEFAULT", "TARGETING_MATCH; segment=<name>" or "SPLIT; weight=<weight>". */
  reason: string;
  /** The chosen variant's key, "control" for the control bucket, null when no split applied. */
  variant: string | null;
  metadata?: Record<string, unknown>;
}

export interface SegmentResult {
  name: string;
  metadata?: Record<string, unknown>;
}

export interface EvaluationResult {
  flags: Record<string, FlagResult>;
  segments: SegmentResult[];
}
