import { compileCondition, type ConditionTest } from "./conditions";
import type { EvaluationSubject } from "./properties";
import type { ContextValue, EvaluationContext, FeatureContext, SegmentContext, SegmentRule } from "./types";

// Segments and features are compiled once into closures and plain arrays, and the result is cached
// by the identity of the `segments` / `features` objects of the context (a WeakMap: a snapshot
// that is replaced is collected with its compiled form). Contexts are therefore treated as
// immutable: build a new `segments` or `features` object to change them.

export interface CompiledVariant {
  key: string | null;
  value: ContextValue;
  weight: number;
  /** Upper bound of this variant's bucket, accumulated in priority order exactly as Flagsmith does. */
  limit: number;
}

export interface CompiledFeature {
  source: FeatureContext;
  name: string;
  /** Hash input for the multivariate split. */
  key: string;
  enabled: boolean;
  value: ContextValue;
  priority: number;
  variants: CompiledVariant[];
}

export interface CompiledSegment {
  source: SegmentContext;
  name: string;
  matches: ConditionTest;
  overrides: CompiledFeature[];
}

function combine(type: string, tests: ConditionTest[]): ConditionTest {
  if (tests.length === 0) return () => true;
  switch (type) {
    case "ALL":
      return (subject) => {
        for (const test of tests) if (!test(subject)) return false;
        return true;
      };
    case "ANY":
      return (subject) => {
        for (const test of tests) if (test(subject)) return true;
        return false;
      };
    case "NONE":
      return (subject) => {
        for (const test of tests) if (test(subject)) return false;
        return true;
      };
    default:
      return () => false;
  }
}

/** A rule matches when its conditions and its sub-rules each satisfy the rule's type. */
function compileRule(rule: SegmentRule, segmentKey: string): ConditionTest {
  const conditions = combine(
    rule.type,
    (rule.conditions ?? []).map((condition) => compileCondition(condition, segmentKey)),
  );
  const subRules = combine(
    rule.type,
    (rule.rules ?? []).map((subRule) => compileRule(subRule, segmentKey)),
  );
  return (subject) => conditions(subject) && subRules(subject);
}

export function compileFeature(feature: FeatureContext): CompiledFeature {
  const variants: CompiledVariant[] = [];
  // Stable sort by priority (missing last), then cumulative limits in that order.
  const sorted = [...(feature.variants ?? [])].sort((a, b) => {
    const x = a.priority ?? Infinity;
    const y = b.priority ?? Infinity;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  let start = 0;
  for (const variant of sorted) {
    const limit = start + variant.weight;
    variants.push({ key: variant.key ?? null, value: variant.value, weight: variant.weight, limit });
    start = limit;
  }
  return {
    source: feature,
    name: feature.name,
    key: feature.key == null ? "" : String(feature.key),
    enabled: feature.enabled,
    value: feature.value,
    priority: feature.priority ?? Infinity,
    variants,
  };
}

export function compileSegment(segment: SegmentContext): CompiledSegment {
  const segmentKey = segment.key == null ? "" : String(segment.key);
  const rules = (segment.rules ?? []).map((rule) => compileRule(rule, segmentKey));
  // A segment without rules matches nobody.
  const matches: ConditionTest =
    rules.length === 0
      ? () => false
      : (subject) => {
          for (const rule of rules) if (!rule(subject)) return false;
          return true;
        };
  return {
    source: segment,
    name: segment.name,
    matches,
    overrides: Array.isArray(segment.overrides) ? segment.overrides.map(compileFeature) : [],
  };
}

const segmentCache = new WeakMap<object, CompiledSegment[]>();
const featureCache = new WeakMap<object, CompiledFeature[]>();

/** The compiled segments of a context, in the context's own key order (which decides ties). */
export function compiledSegments(segments: EvaluationContext["segments"]): CompiledSegment[] {
  if (!segments) return [];
  let compiled = segmentCache.get(segments);
  if (!compiled) {
    compiled = Object.values(segments).map(compileSegment);
    segmentCache.set(segments, compiled);
  }
  return compiled;
}

export function compiledFeatures(features: EvaluationContext["features"]): CompiledFeature[] {
  if (!features) return [];
  let compiled = featureCache.get(features);
  if (!compiled) {
    compiled = Object.values(features).map(compileFeature);
    featureCache.set(features, compiled);
  }
  return compiled;
}

export type { EvaluationSubject };
