"use client";

import { useCallback, useState } from "react";
import { kindOf, parseTypedValue, valueToText, type ValueKind } from "@/lib/client/format/flag-value";
import type { FlagValue } from "@/lib/client/queries/types";

/** The editable form of a flag value: a kind (type select) plus the text typed for it. */
export function useValueDraft(initial: FlagValue = null, initialKind?: ValueKind) {
  const [kind, setKindState] = useState<ValueKind>(initialKind ?? kindOf(initial));
  const [text, setText] = useState(valueToText(initial));

  const setKind = useCallback((next: ValueKind) => {
    setKindState(next);
    // Booleans are picked from a list; start from a valid choice.
    if (next === "boolean") setText((current) => (current === "true" ? "true" : "false"));
  }, []);

  const reset = useCallback((value: FlagValue) => {
    setKindState(kindOf(value));
    setText(valueToText(value));
  }, []);

  return { kind, text, setKind, setText, reset, parse: () => parseTypedValue(kind, text) };
}

export type ValueDraft = ReturnType<typeof useValueDraft>;
