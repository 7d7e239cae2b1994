"use client";

import { useState } from "react";
import { useController, type Control, type FieldValues, type Path } from "react-hook-form";
import { z } from "zod";
import { kindOf, parseTypedValue, valueToText, type ValueKind } from "@/lib/client/format/flag-value";
import type { FlagValue } from "@/lib/client/queries/types";
import { flagValue } from "@/lib/validations/common";

/** A flag value as edited: a kind (type select) plus the text typed for it. */
export interface ValueDraftState {
  kind: ValueKind;
  text: string;
}

export const valueDraftOf = (value: FlagValue): ValueDraftState => ({
  kind: kindOf(value),
  text: valueToText(value),
});

/** Booleans are picked from a list; a switch to boolean starts from a valid choice. */
const withKind = (draft: ValueDraftState, kind: ValueKind): ValueDraftState =>
  kind === "boolean" ? { kind, text: draft.text === "true" ? "true" : "false" } : { ...draft, kind };

/** A form field holding a draft; its output is the typed value, checked by the shared flag-value schema. */
export const valueDraftField = z
  .object({ kind: z.enum(["none", "string", "number", "boolean"]), text: z.string() })
  .transform((draft, context) => {
    const parsed = parseTypedValue(draft.kind, draft.text);
    if (parsed.ok) return parsed.value;
    context.addIssue({ code: "custom", message: parsed.error });
    return z.NEVER;
  })
  .pipe(flagValue);

function draftApi(draft: ValueDraftState, set: (next: ValueDraftState) => void) {
  return {
    ...draft,
    setKind: (kind: ValueKind) => set(withKind(draft, kind)),
    setText: (text: string) => set({ ...draft, text }),
    reset: (value: FlagValue) => set(valueDraftOf(value)),
    parse: () => parseTypedValue(draft.kind, draft.text),
  };
}

/** A draft kept in component state (forms without react-hook-form). */
export function useValueDraft(initial: FlagValue = null) {
  const [draft, setDraft] = useState(() => valueDraftOf(initial));
  return draftApi(draft, setDraft);
}

/** A draft kept in a react-hook-form field (declared with `valueDraftField`). */
export function useValueDraftField<T extends FieldValues, O>(control: Control<T, unknown, O>, name: Path<T>) {
  const { field } = useController({ control, name });
  return draftApi(field.value as ValueDraftState, field.onChange);
}

export type ValueDraft = ReturnType<typeof draftApi>;
