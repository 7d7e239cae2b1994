import { z } from "zod";
import type { EvaluationContext } from "@/lib/engine";
import { segmentRulesField } from "@/lib/validations/segment-rules";

// Flagsmith's evaluation context (Flagsmith/flagsmith → sdk/evaluation-context.json) as a zod
// schema: what `flagpost evaluate` reads, checked before the engine sees it. Unknown extra fields
// are allowed, as in Flagsmith's schema; segment rules go through the same validation as the
// segment API, so a context is refused for the same reasons a segment would be.

const contextValue = z.union([z.string(), z.number().finite(), z.boolean(), z.null()]);
const metadata = z.record(z.string(), z.unknown());

const variantSchema = z.looseObject({
  key: z.string().optional(),
  value: contextValue,
  weight: z.number().min(0, "Weights are percentages from 0 to 100").max(100, "at most 100"),
  priority: z.number(),
});

const featureSchema = z.looseObject({
  key: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  value: contextValue,
  variants: z.array(variantSchema).optional(),
  priority: z.number().optional(),
  metadata: metadata.optional(),
});

const segmentSchema = z.looseObject({
  key: z.string(),
  name: z.string(),
  rules: segmentRulesField,
  overrides: z.array(featureSchema).optional(),
  metadata: metadata.optional(),
});

const evaluationContextSchema = z.looseObject({
  environment: z.looseObject({ key: z.string(), name: z.string() }),
  identity: z
    .looseObject({
      identifier: z.string(),
      key: z.string().optional(),
      traits: z.record(z.string(), contextValue).optional(),
    })
    .nullish(),
  segments: z.record(z.string(), segmentSchema).optional(),
  features: z.record(z.string(), featureSchema).optional(),
});

type EvaluationContextIssue = { path: string; message: string };

/** A JSONPath-like name for an issue's path: `$.segments.beta.rules[0].conditions[1].operator`. */
function issuePath(path: readonly PropertyKey[]): string {
  let text = "$";
  for (const step of path) {
    if (typeof step === "number") text += `[${step}]`;
    else if (typeof step === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(step)) text += `.${step}`;
    else text += `[${JSON.stringify(String(step))}]`;
  }
  return text;
}

/** Blanks out `//` and `/* … *\/` comments outside strings, keeping positions (JSON with comments). */
function stripJsonComments(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (char === '"') {
      const start = i++;
      while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
      out += text.slice(start, ++i);
    } else if (char === "/" && text[i + 1] === "/") {
      const end = text.indexOf("\n", i);
      const stop = end === -1 ? text.length : end;
      out += " ".repeat(stop - i);
      i = stop;
    } else if (char === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end === -1 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, " ");
      i = stop;
    } else {
      out += char;
      i++;
    }
  }
  return out;
}

export type ParsedEvaluationContext =
  { ok: true; context: EvaluationContext } | { ok: false; issues: EvaluationContextIssue[] };

/** Reads a context from JSON text (comments allowed): the context, or every problem with its path. */
export function parseEvaluationContext(text: string): ParsedEvaluationContext {
  let json: unknown;
  try {
    json = JSON.parse(stripJsonComments(text));
  } catch (error) {
    return { ok: false, issues: [{ path: "$", message: `not valid JSON: ${(error as Error).message}` }] };
  }
  const parsed = evaluationContextSchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({ path: issuePath(issue.path), message: issue.message })),
    };
  }
  return { ok: true, context: parsed.data as EvaluationContext };
}
