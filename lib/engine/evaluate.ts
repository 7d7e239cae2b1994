import { compiledSegments, preparedFeatures, type PreparedFeature } from "./compile";
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

/** Evaluates every flag of the context (and the identity's segments) the way Flagsmith's engine does. */
export function evaluateContext(context: EvaluationContext): EvaluationResult {
  const subject = subjectOf(context);
  const segments: SegmentResult[] = [];
  const overrides = new Map<string, { prepared: PreparedFeature; priority: number; segmentName: string }>();

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

  const identityKey = subject ? subject.identity.key : null;
  const flags: Record<string, FlagResult> = {};
  for (const prepared of preparedFeatures(context.features)) {
    const name = prepared.feature.name;
    const override = overrides.get(name);
    flags[name] = override
      ? flagResult(override.prepared, identityKey, `TARGETING_MATCH; segment=${override.segmentName}`)
      : flagResult(prepared, identityKey, "DEFAULT");
  }
  return { flags, segments };
}

/** The names of the segments the context's identity belongs to (the segment tester's question). */
export function matchingSegmentNames(context: EvaluationContext): string[] {
  return evaluateContext({ ...context, features: undefined }).segments.map((segment) => segment.name);
}
