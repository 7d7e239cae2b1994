import { flagValue, type FlagValue } from "@/lib/validations/common";

// Flag values keep their JSON type: 0, false and "" are values, null is "no value". Editors work on
// text plus a kind and turn it back into the typed value with the shared schema.

export type ValueKind = "none" | "string" | "number" | "boolean";

export const valueKindOptions: { value: ValueKind; label: string }[] = [
  { value: "none", label: "No value" },
  { value: "string", label: "String" },
  { value: "number", label: "Number" },
  { value: "boolean", label: "Boolean" },
];

export function kindOf(value: FlagValue | undefined): ValueKind {
  if (value === null || value === undefined) return "none";
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "boolean";
  return "string";
}

export function valueToText(value: FlagValue | undefined): string {
  if (value === null || value === undefined) return "";
  return String(value);
}

export type ParsedValue = { ok: true; value: FlagValue } | { ok: false; error: string };

/** Text from an input, read as `kind`, validated with the same schema as the server. */
export function parseTypedValue(kind: ValueKind, text: string): ParsedValue {
  let candidate: FlagValue;
  switch (kind) {
    case "none":
      candidate = null;
      break;
    case "boolean":
      if (text !== "true" && text !== "false") return { ok: false, error: "Choose true or false" };
      candidate = text === "true";
      break;
    case "number":
      if (!/^\s*-?\d+\s*$/.test(text)) return { ok: false, error: "Enter a whole number" };
      candidate = Number(text.trim());
      break;
    default:
      candidate = text;
  }
  const result = flagValue.safeParse(candidate);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, error: result.error.issues[0]?.message ?? "Invalid value" };
}

/** How a value reads in text (toasts, summaries): `"beta"`, `0`, `false`, or `no value`. */
export function describeFlagValue(value: FlagValue | undefined): string {
  return value === null || value === undefined ? "no value" : JSON.stringify(value);
}
