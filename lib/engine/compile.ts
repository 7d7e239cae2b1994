import { compileCondition, type ConditionTest } from "./conditions";
import type { EvaluationSubject } from "./properties";
import type {
  ContextValue,
  EvaluationContext,
  FeatureContext,
  FeatureValue,
  SegmentContext,
  SegmentRule,
} from "./types";

// Segments are compiled into closures once, and the result is cached by the identity of the
// `segments` object of the context (a WeakMap: a snapshot that is replaced is collected with its
// compiled form). Contexts are therefore treated as immutable: build a new `segments` object to
// change them. Compiling is lazy per condition: a condition is compiled the first time it is
// evaluated, so a context built for one evaluation (the admin views) pays only for the conditions
// that evaluation reaches (ALL / ANY / NONE stop early). Features need no compiling: their
// variant layout is computed when first split.

export interface CompiledVariant {
  key: string | null;
  value: ContextValue;
  weight: number;
  /** Upper bound of this variant's bucket, accumulated in priority order exactly as Flagsmith does. */
  limit: number;
}

export interface CompiledSegment {
  source: SegmentContext;
  name: string;
  matches: ConditionTest;
  overrides: readonly FeatureContext[];
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

/** A test built the first time it runs. */
function lazily(build: () => ConditionTest): ConditionTest {
  let test: ConditionTest | null = null;
  return (subject) => (test ??= build())(subject);
}

/** A rule matches when its conditions and its sub-rules each satisfy the rule's type. */
function compileRule(rule: SegmentRule, segmentKey: string): ConditionTest {
  const conditions = combine(
    rule.type,
    (rule.conditions ?? []).map((condition) => lazily(() => compileCondition(condition, segmentKey))),
  );
  const subRules = combine(
    rule.type,
    (rule.rules ?? []).map((subRule) => lazily(() => compileRule(subRule, segmentKey))),
  );
  return (subject) => conditions(subject) && subRules(subject);
}

const variantLayouts = new WeakMap<FeatureContext, CompiledVariant[]>();
const NO_VARIANTS: CompiledVariant[] = [];

/** A feature's variants as buckets: stable sort by priority (missing last), cumulative limits. */
export function variantLayout(feature: FeatureContext): CompiledVariant[] {
  if (!feature.variants || feature.variants.length === 0) return NO_VARIANTS;
  let layout = variantLayouts.get(feature);
  if (!layout) {
    const sorted = [...feature.variants].sort((a: FeatureValue, b: FeatureValue) => {
      const x = a.priority ?? Infinity;
      const y = b.priority ?? Infinity;
      return x < y ? -1 : x > y ? 1 : 0;
    });
    layout = [];
    let start = 0;
    for (const variant of sorted) {
      const limit = start + variant.weight;
      layout.push({ key: variant.key ?? null, value: variant.value, weight: variant.weight, limit });
      start = limit;
    }
    variantLayouts.set(feature, layout);
  }
  return layout;
}

export function compileSegment(segment: SegmentContext): CompiledSegment {
  const segmentKey = segment.key == null ? "" : String(segment.key);
  const rules = (segment.rules ?? []).map((rule) => lazily(() => compileRule(rule, segmentKey)));
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
    overrides: Array.isArray(segment.overrides) ? segment.overrides : [],
  };
}

const segmentCache = new WeakMap<object, CompiledSegment[]>();
const featureLists = new WeakMap<object, FeatureContext[]>();

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

/** The features of a context as a list, in the context's key order. */
export function featureList(features: EvaluationContext["features"]): FeatureContext[] {
  if (!features) return [];
  let list = featureLists.get(features);
  if (!list) {
    list = Object.values(features);
    featureLists.set(features, list);
  }
  return list;
}

export type { EvaluationSubject };
