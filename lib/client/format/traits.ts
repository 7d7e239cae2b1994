import { traitValueField, type TraitValue } from "@/lib/validations/evaluation";

// Trait values keep their JSON type (text, number, boolean): segment conditions compare by it, so
// "42" and 42 are different traits. Editors work on text plus a type, checked by the shared schema.

export type TraitType = "string" | "number" | "boolean";

export const TRAIT_TYPE_OPTIONS: { value: TraitType; label: string }[] = [
  { value: "string", label: "Text" },
  { value: "number", label: "Number" },
  { value: "boolean", label: "Boolean" },
];

export function traitTypeOf(value: TraitValue): TraitType {
  return typeof value === "number" ? "number" : typeof value === "boolean" ? "boolean" : "string";
}

export type ParsedTrait = { ok: true; value: TraitValue } | { ok: false; error: string };

export function parseTypedTrait(type: TraitType, text: string): ParsedTrait {
  let candidate: TraitValue;
  if (type === "boolean") {
    if (text !== "true" && text !== "false") return { ok: false, error: "Choose true or false" };
    candidate = text === "true";
  } else if (type === "number") {
    if (text.trim() === "" || !Number.isFinite(Number(text))) return { ok: false, error: "Enter a number" };
    candidate = Number(text);
  } else {
    candidate = text;
  }
  const checked = traitValueField.safeParse(candidate);
  return checked.success
    ? { ok: true, value: checked.data }
    : { ok: false, error: checked.error.issues[0]?.message ?? "Invalid value" };
}
