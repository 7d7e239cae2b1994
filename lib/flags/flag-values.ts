import "server-only";
import type { ValueType } from "@/lib/generated/prisma/enums";
import type { FlagValue } from "@/lib/validations/common";

// Flag values are stored as text plus the JSON type they arrived as, so `0`, `false` and `""` come
// back exactly as sent instead of collapsing into blanks or strings. A null text means "no value".

export interface StoredValue {
  valueType: ValueType;
  value: string | null;
}

export function toStoredValue(value: FlagValue): StoredValue {
  if (value === null) return { valueType: "STRING", value: null };
  if (typeof value === "boolean") return { valueType: "BOOLEAN", value: value ? "true" : "false" };
  if (typeof value === "number") return { valueType: "INTEGER", value: String(value) };
  return { valueType: "STRING", value };
}

export function fromStoredValue(valueType: ValueType, value: string | null): FlagValue {
  if (value === null) return null;
  if (valueType === "BOOLEAN") return value === "true";
  // Only text written by toStoredValue is expected here; anything else is returned as text rather
  // than turned into NaN.
  if (valueType === "INTEGER" && /^-?[0-9]+$/.test(value)) return Number(value);
  return value;
}

export function sameStoredValue(a: StoredValue, b: StoredValue): boolean {
  return a.value === b.value && (a.value === null || a.valueType === b.valueType);
}

/** A value as audit summaries show it: `"beta"`, `0`, `false`, or `no value`. */
export function describeValue(value: FlagValue): string {
  return value === null ? "no value" : JSON.stringify(value);
}
