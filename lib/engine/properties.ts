import type { ContextValue, EvaluationContext } from "./types";

// What a condition's `property` names: a trait ("plan"), a trait by path
// ("$.identity.traits.plan", "$.identity.traits['my plan']") or another value of the context
// ("$.identity.identifier", "$.identity.key", "$.environment.name"). Resolved once per condition
// at compile time into a small getter, so evaluation does no string parsing.

/** What one evaluation sees: the identity as Flagsmith's engine enriches it (key always set). */
export interface EvaluationSubject {
  context: EvaluationContext;
  identity: { identifier: string; key: string; traits: Record<string, ContextValue> };
}

export type ValueGetter = (subject: EvaluationSubject) => unknown;

const TRAIT_DOT = /^\$\.identity\.traits\.(.+)$/;
const TRAIT_BRACKET = /^\$\.identity\.traits\['(.+)'\]$/;
/** One step of a member path: `.name` (no dots, brackets, wildcards) or `['name']` / `["name"]` or `[3]`. */
const STEP = /^(?:\.([^.[\]*@()?,:~^$\s]+)|\[(?:'([^']*)'|"([^"]*)"|(\d+))\])/;

const own = (object: unknown, name: string): unknown =>
  object !== null && typeof object === "object" && Object.hasOwn(object, name)
    ? (object as Record<string, unknown>)[name]
    : undefined;

const traitGetter =
  (name: string): ValueGetter =>
  (subject) =>
    own(subject.identity.traits, name);

/**
 * The member names of a simple JSONPath ("$.a.b", "$['a'].b", "$.a[0]"), or null for anything
 * richer (wildcards, filters, recursive descent), which Flagpost does not evaluate.
 */
export function parseMemberPath(path: string): string[] | null {
  if (!path.startsWith("$")) return null;
  const steps: string[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const step = STEP.exec(rest);
    if (!step) return null;
    steps.push(step[1] ?? step[2] ?? step[3] ?? step[4]!);
    rest = rest.slice(step[0].length);
  }
  return steps.length > 0 ? steps : null;
}

/** Walks `steps` from the context root, with `identity` replaced by the enriched identity. */
export function pathGetter(steps: readonly string[]): ValueGetter {
  const [first, ...more] = steps;
  return (subject) => {
    let current: unknown = first === "identity" ? subject.identity : own(subject.context, first!);
    for (const step of more) {
      current = own(current, step);
      if (current === undefined) return undefined;
    }
    return current;
  };
}

const isPrimitive = (value: unknown) => value === null || typeof value !== "object";

/**
 * The getter for a condition's property, as Flagsmith's engine reads it: trait paths go straight
 * to the trait; other "$." paths read the context and fall back to a trait literally named like
 * the path when they find nothing (or an object); anything else is a trait name.
 */
export function propertyGetter(property: string): ValueGetter {
  if (!property.startsWith("$.")) return traitGetter(property);
  const traitName = TRAIT_DOT.exec(property)?.[1] ?? TRAIT_BRACKET.exec(property)?.[1];
  if (traitName !== undefined) return traitGetter(traitName);
  const steps = parseMemberPath(property);
  const literalTrait = traitGetter(property);
  if (!steps) return literalTrait;
  const read = pathGetter(steps);
  return (subject) => {
    const value = read(subject);
    return value !== undefined && isPrimitive(value) ? value : literalTrait(subject);
  };
}

/** Whether a "$." property is one Flagpost can evaluate (used by validation). */
export function isSupportedPathProperty(property: string): boolean {
  if (!property.startsWith("$.")) return true;
  if (TRAIT_DOT.test(property) || TRAIT_BRACKET.test(property)) return true;
  return parseMemberPath(property) !== null;
}
