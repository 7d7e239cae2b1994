// Test helper: evaluates a context with Flagpost's engine and with Flagsmith's own (the one
// flagsmith-nodejs runs for local evaluation), so a unit test can state Flagsmith's behaviour
// explicitly AND prove both engines have it. Imported by *.test.ts files only.
import { getEvaluationResult } from "../../../node_modules/flagsmith-nodejs/build/esm/flagsmith-engine/index.js";
import { evaluateContext } from "../evaluate";
import type {
  ContextValue,
  EvaluationContext,
  EvaluationResult,
  SegmentCondition,
  SegmentRule,
} from "../types";

function flagsmithResult(context: EvaluationContext): EvaluationResult {
  // structuredClone: Flagsmith's engine must not share (or mutate) our objects.
  return getEvaluationResult(
    structuredClone(context) as Parameters<typeof getEvaluationResult>[0],
  ) as unknown as EvaluationResult;
}

export interface BothResults {
  ours: EvaluationResult;
  flagsmith: EvaluationResult;
}

export function evaluateWithBoth(context: EvaluationContext): BothResults {
  return { ours: evaluateContext(context), flagsmith: flagsmithResult(context) };
}

export const ENVIRONMENT = { key: "env-key", name: "production" };

/** A context with one segment made of `rules`, for an identity with `traits`. */
export function segmentContext(
  rules: SegmentRule[],
  traits: Record<string, ContextValue>,
  identity: { identifier?: string; key?: string } = {},
): EvaluationContext {
  return {
    environment: ENVIRONMENT,
    identity: { identifier: identity.identifier ?? "user-1", key: identity.key, traits },
    segments: { "1": { key: "1", name: "target", rules } },
    features: {},
  };
}

/** Whether the one-condition segment matches, in [Flagpost, Flagsmith] order. */
export function conditionMatches(
  condition: SegmentCondition,
  traits: Record<string, ContextValue>,
  identity?: { identifier?: string; key?: string },
): [boolean, boolean] {
  const { ours, flagsmith } = evaluateWithBoth(
    segmentContext([{ type: "ALL", conditions: [condition] }], traits, identity),
  );
  return [ours.segments.length === 1, flagsmith.segments.length === 1];
}
