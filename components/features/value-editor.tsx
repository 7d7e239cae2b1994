"use client";

import { Select } from "@/components/ui/select";
import { TextField } from "@/components/ui/text-field";
import { valueKindOptions, type ValueKind } from "@/lib/client/format/flag-value";
import type { ValueDraft } from "@/lib/client/hooks/use-value-draft";

interface ValueEditorProps {
  draft: ValueDraft;
  /** Names the value ("Initial value", "Override value"); the controls are "<label> type" and "<label>". */
  label: string;
  error?: string;
  disabled?: boolean;
}

/** Picks a value's type and enters it: text, a whole number, true/false, or no value at all. */
export function ValueEditor({ draft, label, error, disabled }: ValueEditorProps) {
  return (
    <fieldset className="grid gap-3 sm:grid-cols-[10rem_1fr]">
      <legend className="sr-only">{label}</legend>
      <Select
        label={`${label} type`}
        value={draft.kind}
        disabled={disabled}
        onChange={(event) => draft.setKind(event.target.value as ValueKind)}
        options={valueKindOptions}
      />
      {draft.kind === "boolean" ? (
        <Select
          label={label}
          value={draft.text}
          disabled={disabled}
          onChange={(event) => draft.setText(event.target.value)}
          options={[
            { value: "true", label: "true" },
            { value: "false", label: "false" },
          ]}
          error={error}
        />
      ) : draft.kind === "none" ? (
        <p className="self-end pb-2 text-sm text-zinc-500 dark:text-zinc-400">The flag carries no value.</p>
      ) : (
        <TextField
          label={label}
          value={draft.text}
          disabled={disabled}
          inputMode={draft.kind === "number" ? "numeric" : undefined}
          spellCheck={false}
          autoComplete="off"
          onChange={(event) => draft.setText(event.target.value)}
          error={error}
          hint={draft.kind === "string" ? "Leave empty for an empty string." : "A whole number."}
        />
      )}
    </fieldset>
  );
}
