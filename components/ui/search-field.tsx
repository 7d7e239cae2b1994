"use client";

import { TextField } from "@/components/ui/text-field";

/** A labelled search box (the label is visually hidden; the placeholder says what it searches). */
export function SearchField({
  label,
  value,
  onChange,
  placeholder,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
}) {
  return (
    <TextField
      label={label}
      hideLabel
      type="search"
      value={value}
      placeholder={placeholder ?? label}
      onChange={(event) => onChange(event.target.value)}
      className="w-full sm:w-72"
      autoComplete="off"
      spellCheck={false}
    />
  );
}
