// The flag evaluation engine: pure (no database, clock or I/O), Flagsmith's semantics.
export { evaluateContext, evaluateDifferences, matchingSegmentNames } from "./evaluate";
export * from "./types";
