"use client";

import { useId, useState } from "react";
import { FlagValueText } from "@/components/features/flag-value";
import { focusRing } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { controlClasses, FieldError } from "@/components/ui/text-field";
import { kindOf, parseTypedValue, valueToText, type ValueKind } from "@/lib/client/format/flag-value";
import type { FlagValue } from "@/lib/client/queries/types";

interface InlineValueEditorProps {
  value: FlagValue;
  /** What the value belongs to, for accessible names: "new-checkout in Staging". */
  subject: string;
  /** The type to edit a null value as (e.g. the feature's initial value type). */
  fallbackKind?: ValueKind;
  disabled?: boolean;
  onSave: (value: FlagValue) => void;
}

/**
 * Click the value to edit it in place: Enter saves, Escape (or leaving the field) cancels. The value
 * keeps its type — numbers stay numbers, and a boolean simply flips when clicked.
 */
export function InlineValueEditor({
  value,
  subject,
  fallbackKind = "string",
  disabled,
  onSave,
}: InlineValueEditorProps) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const hintId = useId();
  const kind: ValueKind =
    value === null ? (fallbackKind === "none" ? "string" : fallbackKind) : kindOf(value);

  if (disabled) return <FlagValueText value={value} />;

  if (kind === "boolean") {
    return (
      <button
        type="button"
        onClick={() => onSave(!(value === true))}
        aria-label={`Flip value of ${subject} (now ${value === null ? "no value" : String(value)})`}
        className={cx("rounded", focusRing)}
      >
        <FlagValueText value={value} className="hover:ring-1 hover:ring-accent-400" />
      </button>
    );
  }

  if (!editing) {
    return (
      <button
        type="button"
        onClick={() => {
          setText(valueToText(value));
          setError(null);
          setEditing(true);
        }}
        aria-label={`Edit value of ${subject}`}
        className={cx("rounded text-left", focusRing)}
      >
        <FlagValueText value={value} className="hover:ring-1 hover:ring-accent-400" />
      </button>
    );
  }

  const save = () => {
    const parsed = parseTypedValue(kind, text);
    if (!parsed.ok) return setError(parsed.error);
    setEditing(false);
    // Null stays null when nothing was typed; otherwise only real changes are sent.
    if (value === null && text === "") return;
    if (parsed.value !== value) onSave(parsed.value);
  };

  return (
    <div className="min-w-40 space-y-1">
      <input
        autoFocus
        aria-label={`Value of ${subject}`}
        aria-describedby={hintId}
        aria-invalid={error ? true : undefined}
        value={text}
        inputMode={kind === "number" ? "numeric" : undefined}
        spellCheck={false}
        onChange={(event) => {
          setText(event.target.value);
          setError(null);
        }}
        onKeyDown={(event) => {
          if (event.key === "Enter") {
            event.preventDefault();
            save();
          } else if (event.key === "Escape") {
            event.preventDefault();
            event.stopPropagation();
            setEditing(false);
          }
        }}
        onBlur={() => setEditing(false)}
        className={cx(controlClasses, "h-8 py-1 font-mono text-xs")}
      />
      <p id={hintId} className="sr-only">
        Press Enter to save or Escape to cancel.
      </p>
      <FieldError message={error ?? undefined} />
    </div>
  );
}
