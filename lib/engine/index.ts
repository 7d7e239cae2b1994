// The flag evaluation engine: pure (no database, clock or I/O), Flagsmith's semantics.
export { evaluateContext, evaluateDifferences, matchingSegmentNames } from "./evaluate";
export { checkRegexPattern, MAX_REGEX_INPUT_LENGTH, MAX_REGEX_PATTERN_LENGTH } from "./regex";
export { isSupportedPathProperty } from "./properties";
export { hashedPercentage } from "./hashing";
export * from "./types";
