import { compiledSegments, featureIndex, preparedFeatures, type PreparedFeature } from "./compile";
import { hashedPercentage } from "./hashing";
import type { EvaluationSubject } from "./properties";
import type { EvaluationContext, EvaluationResult, FlagResult, SegmentResult } from "./types";

// Flagsmith's evaluation, step by step:
// 1. The identity key defaults to `${environment.key}_${identifier}`.
// 2. Without an identity no segment is evaluated (environment flags are the defaults).
// 3. Segments are tried in the context's key order; for each feature the matched override with
//    the lowest priority wins (first matched on a tie). Identity overrides are segments too: Flagsmith
//    expresses them as a segment matching `$.identity.identifier IN …` whose overrides have the
//    strongest priority (-Infinity), so they beat every segment override.
// 4. A feature (or the winning override) with variants and an identity is split: md5 of
//    "<feature key>,<identity key>" → [0, 100); the variants in priority order take consecutive
//    buckets of their weight; what is left (weights summing to less than 100) is the control value.

function subjectOf(context: EvaluationContext): EvaluationSubject | null {
  const identity = context.identity;
  if (!identity) return null;
  return {
    context,
    identity: {
      identifier: identity.identifier,
      key: identity.key || `${context.environment.key}_${identity.identifier}`,
      traits: identity.traits || {},
    },
  };
}

function flagResult(
  { feature, variants }: PreparedFeature,
  identityKey: string | null,
  reason: string,
): FlagResult {
  let value = feature.value;
  let variant: string | null = null;
  if (identityKey !== null && variants.length > 0) {
    variant = "control";
    const percentage = hashedPercentage([feature.key == null ? "" : String(feature.key), identityKey]);
    let start = 0;
    for (const option of variants) {
      if (start <= percentage && percentage < option.limit) {
        value = option.value;
        variant = option.key;
        reason = `SPLIT; weight=${option.weight}`;
        break;
      }
      start = option.limit;
    }
  }
  const result: FlagResult = { name: feature.name, enabled: feature.enabled, value, reason, variant };
  if (feature.metadata) result.metadata = feature.metadata;
  return result;
}

interface SegmentOverride {
  prepared: PreparedFeature;
  priority: number;
  segmentName: string;
}

/** Step 3: the segments the context's identity matches, and the winning override per feature. */
function matchSegments(context: EvaluationContext, subject: EvaluationSubject | null) {
  const segments: SegmentResult[] = [];
  const overrides = new Map<string, SegmentOverride>();
  if (subject && context.segments) {
    for (const segment of compiledSegments(context.segments)) {
      if (!segment.matches(subject)) continue;
      segments.push(
        segment.source.metadata
          ? { name: segment.name, metadata: { ...segment.source.metadata } }
          : { name: segment.name },
      );
      for (const override of segment.overrides) {
        const name = override.feature.name;
        const current = overrides.get(name);
        const priority = override.feature.priority ?? Infinity;
        if (!current || priority < current.priority) {
          overrides.set(name, { prepared: override, priority, segmentName: segment.name });
        }
      }
    }
  }
  return { segments, overrides };
}

function overriddenResult(override: SegmentOverride, identityKey: string | null): FlagResult {
  return flagResult(override.prepared, identityKey, `TARGETING_MATCH; segment=${override.segmentName}`);
}

/** Evaluates every flag of the context (and the identity's segments) the way Flagsmith's engine does. */
export function evaluateContext(context: EvaluationContext): EvaluationResult {
  const subject = subjectOf(context);
  const { segments, overrides } = matchSegments(context, subject);
  const identityKey = subject ? subject.identity.key : null;
  const flags: Record<string, FlagResult> = {};
  for (const prepared of preparedFeatures(context.features)) {
    const name = prepared.feature.name;
    const override = overrides.get(name);
    flags[name] = override
      ? overriddenResult(override, identityKey)
      : flagResult(prepared, identityKey, "DEFAULT");
  }
  return { flags, segments };
}

/**
 * The flags of the context's identity that can differ from the same context's identity-less
 * answer — those overridden by a segment it matches, and those split between variants — with its
 * segments. Every flag left out is exactly the identity-less flag, so a server that keeps that
 * answer ready evaluates an identity in time proportional to what differs.
 */
export function evaluateDifferences(context: EvaluationContext): {
  flags: Map<string, FlagResult>;
  segments: SegmentResult[];
} {
  const subject = subjectOf(context);
  const { segments, overrides } = matchSegments(context, subject);
  const flags = new Map<string, FlagResult>();
  if (!subject) return { flags, segments };
  const identityKey = subject.identity.key;
  const { byName, split } = featureIndex(context.features);
  for (const prepared of split) {
    const name = prepared.feature.name;
    if (!overrides.has(name)) flags.set(name, flagResult(prepared, identityKey, "DEFAULT"));
  }
  for (const [name, override] of overrides)
    // An override of a feature the context does not have is not a flag of the answer.
    if (byName.has(name)) flags.set(name, overriddenResult(override, identityKey));
  return { flags, segments };
}

/** The names of the segments the context's identity belongs to (the segment tester's question). */
export function matchingSegmentNames(context: EvaluationContext): string[] {
  return evaluateContext({ ...context, features: undefined }).segments.map((segment) => segment.name);
}
