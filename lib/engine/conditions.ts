import { hashedPercentage } from "./hashing";
import { parseMemberPath, pathGetter, propertyGetter, type EvaluationSubject } from "./properties";
import { compileRegex } from "./regex";
import { compareSemVer, parseSemVer } from "./semver";
import type { SegmentCondition } from "./types";

// One condition → one closure, built once per segment. The typing rules are Flagsmith's:
// - a missing (or null) value matches IS_NOT_SET only;
// - the condition value is read as the type of the value it is compared with: a number
//   (parseFloat), a boolean (anything but "false"/"False" is true) or a string;
// - a condition value ending in ":semver" compares semantic versions (EQUAL and the orderings;
//   NOT_EQUAL and CONTAINS compare the text without the suffix, as Flagsmith's Node engine does);
// - CONTAINS and NOT_CONTAINS apply to strings only; MODULO takes "divisor|remainder" and a value
//   that reads as a number; IN takes a comma list, a JSON array in a string, or an array, and
//   never matches a boolean, 0 or "";
// - PERCENTAGE_SPLIT hashes the segment key with the identity key (or the value of a "$." path).

export type ConditionTest = (subject: EvaluationSubject) => boolean;

const never: ConditionTest = () => false;

type Ordering =
  "EQUAL" | "NOT_EQUAL" | "GREATER_THAN" | "GREATER_THAN_INCLUSIVE" | "LESS_THAN" | "LESS_THAN_INCLUSIVE";

/** trait <op> condition for two values of one primitive type (strings by UTF-16 order, booleans as 0/1). */
function ordered(operator: Ordering, trait: string | number, condition: string | number): boolean {
  switch (operator) {
    case "EQUAL":
      return trait === condition;
    case "NOT_EQUAL":
      return trait !== condition;
    case "GREATER_THAN":
      return trait > condition;
    case "GREATER_THAN_INCLUSIVE":
      return trait >= condition;
    case "LESS_THAN":
      return trait < condition;
    case "LESS_THAN_INCLUSIVE":
      return trait <= condition;
  }
}

const isOrdering = (operator: string): operator is Ordering =>
  operator === "EQUAL" ||
  operator === "NOT_EQUAL" ||
  operator === "GREATER_THAN" ||
  operator === "GREATER_THAN_INCLUSIVE" ||
  operator === "LESS_THAN" ||
  operator === "LESS_THAN_INCLUSIVE";

/** Loose (==) inequality: Flagsmith's Node engine compares ":semver" NOT_EQUAL this way. */
function looselyDifferent(a: unknown, b: unknown): boolean {
  // Deliberately loose: reproduces Flagsmith's comparison exactly.
  return a != b;
}

/** The comparison for a present value (not null/undefined) and a typed operator. */
function typedMatcher(operator: string, raw: unknown): (value: string | number | boolean) => boolean {
  if (typeof raw === "string" && raw.endsWith(":semver")) {
    const text = raw.replace(":semver", "");
    const version = parseSemVer(text);
    if (operator === "NOT_EQUAL") return (value) => looselyDifferent(text, value);
    if (operator === "CONTAINS")
      return (value) => typeof value === "string" && value !== "" && value.includes(text);
    if (!isOrdering(operator) || !version) return () => false;
    return (value) => {
      if (typeof value !== "string") return false;
      const parsed = parseSemVer(value);
      return parsed !== null && ordered(operator, compareSemVer(parsed, version), 0);
    };
  }
  const asString = String(raw);
  const asNumber = parseFloat(asString);
  const asBoolean = raw !== "false" && raw !== "False";
  if (operator === "CONTAINS") {
    return (value) => typeof value === "string" && value !== "" && value.includes(asString);
  }
  if (!isOrdering(operator)) return () => false;
  return (value) => {
    switch (typeof value) {
      case "string":
        return ordered(operator, value, asString);
      case "number":
        return ordered(operator, value, asNumber);
      default:
        return ordered(operator, Number(value), Number(asBoolean));
    }
  };
}

const JSON_ARRAY_START = /^[ \t\n\r]*\[/;

/** IN's members: an array, a JSON array in a string, or a comma list. */
function inMembers(raw: unknown): Set<unknown> | null {
  if (Array.isArray(raw)) return new Set(raw);
  if (typeof raw !== "string") return null;
  // Only text starting with "[" can be a JSON array: skip JSON.parse (and its costly exception) otherwise.
  if (JSON_ARRAY_START.test(raw)) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (Array.isArray(parsed)) return new Set(parsed);
    } catch {
      // not JSON: a comma list
    }
  }
  return new Set(raw.split(","));
}

function valueMatcher(operator: string, raw: unknown): (value: string | number | boolean) => boolean {
  switch (operator) {
    case "NOT_CONTAINS": {
      if (!raw) return () => false;
      const needle = String(raw);
      return (value) => typeof value === "string" && !value.includes(needle);
    }
    case "REGEX": {
      if (!raw) return () => false;
      const test = compileRegex(String(raw));
      return test ? (value) => test(String(value)) : () => false;
    }
    case "MODULO": {
      if (!raw) return () => false;
      const parts = String(raw).split("|");
      if (parts.length !== 2) return () => false;
      const divisor = parseFloat(parts[0]!);
      const remainder = parseFloat(parts[1]!);
      if (Number.isNaN(divisor) || Number.isNaN(remainder) || divisor === 0) return () => false;
      return (value) => {
        const number = parseFloat(String(value));
        return !Number.isNaN(number) && number % divisor === remainder;
      };
    }
    case "IN": {
      const members = inMembers(raw);
      if (!members) return () => false;
      return (value) =>
        value !== "" && value !== 0 && typeof value !== "boolean" && members.has(String(value));
    }
    default:
      return typedMatcher(operator, raw);
  }
}

export function compileCondition(condition: SegmentCondition, segmentKey: string): ConditionTest {
  const { operator, property, value: raw } = condition;

  if (operator === "PERCENTAGE_SPLIT") {
    const threshold = parseFloat(String(raw));
    if (Number.isNaN(threshold)) return never;
    // Without a property the identity key splits; with one, only a "$." path is read (not a trait).
    const steps = property ? (property.startsWith("$.") ? parseMemberPath(property) : null) : [];
    if (steps === null) return never;
    const readKey =
      steps.length === 0 ? (subject: EvaluationSubject) => subject.identity.key : pathGetter(steps);
    return (subject) => {
      const key = readKey(subject);
      return !!key && hashedPercentage([segmentKey, String(key)]) <= threshold;
    };
  }

  if (!property) return never;
  const read = propertyGetter(property);
  if (operator === "IS_SET") return (subject) => read(subject) != null;
  if (operator === "IS_NOT_SET") return (subject) => read(subject) == null;

  const matches = valueMatcher(operator, raw);
  return (subject) => {
    const value = read(subject);
    return value != null && matches(value as string | number | boolean);
  };
}
