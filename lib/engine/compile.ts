import { compileCondition, type ConditionTest } from "./conditions";
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
// that evaluation reaches (ALL / ANY / NONE stop early). Features are prepared (variants laid
// out) once per `features` object, segment overrides with their segment.

interface CompiledVariant {
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
  overrides: readonly PreparedFeature[];
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

/** A feature with its variants laid out as buckets, ready to split. */
export interface PreparedFeature {
  feature: FeatureContext;
  variants: CompiledVariant[];
}

const NO_VARIANTS: CompiledVariant[] = [];

/** A feature's variants as buckets: stable sort by priority (missing last), cumulative limits. */
function prepareFeature(feature: FeatureContext): PreparedFeature {
  if (!feature.variants || feature.variants.length === 0) return { feature, variants: NO_VARIANTS };
  const sorted = [...feature.variants].sort((a: FeatureValue, b: FeatureValue) => {
    const x = a.priority ?? Infinity;
    const y = b.priority ?? Infinity;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const variants: CompiledVariant[] = [];
  let start = 0;
  for (const variant of sorted) {
    const limit = start + variant.weight;
    variants.push({ key: variant.key ?? null, value: variant.value, weight: variant.weight, limit });
    start = limit;
  }
  return { feature, variants };
}

function compileSegment(segment: SegmentContext): CompiledSegment {
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
    overrides: Array.isArray(segment.overrides) ? segment.overrides.map(prepareFeature) : [],
  };
}

const segmentCache = new WeakMap<object, CompiledSegment[]>();
const featureLists = new WeakMap<object, PreparedFeature[]>();

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

/** The features of a context, prepared, in the context's key order (cached like the segments). */
export function preparedFeatures(features: EvaluationContext["features"]): PreparedFeature[] {
  if (!features) return [];
  let list = featureLists.get(features);
  if (!list) {
    list = Object.values(features).map(prepareFeature);
    featureLists.set(features, list);
  }
  return list;
}

const featureIndexes = new WeakMap<object, FeatureIndex>();

interface FeatureIndex {
  /** The prepared feature each flag name is evaluated from (the last of that name, as in a result). */
  byName: Map<string, PreparedFeature>;
  /** Those of them with variants: an identity's value may differ from the identity-less one. */
  split: PreparedFeature[];
}

/** The features of a context by flag name (cached like the segments). */
export function featureIndex(features: EvaluationContext["features"]): FeatureIndex {
  const prepared = preparedFeatures(features);
  let index = featureIndexes.get(prepared);
  if (!index) {
    const byName = new Map(prepared.map((feature) => [feature.feature.name, feature]));
    index = { byName, split: [...byName.values()].filter((feature) => feature.variants.length > 0) };
    featureIndexes.set(prepared, index);
  }
  return index;
}
