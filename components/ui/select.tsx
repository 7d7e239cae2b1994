"use client";

import { useId, type ComponentProps, type ReactNode } from "react";
import { cx } from "@/components/ui/cx";
import { controlClasses, describedBy, FieldFrame } from "@/components/ui/text-field";

// A labelled native <select>: keyboard and screen-reader behaviour come from the browser.

export interface SelectOption {
  value: string;
  label: string;
  disabled?: boolean;
}

interface SelectProps extends Omit<ComponentProps<"select">, "className" | "children"> {
  label: ReactNode;
  options: SelectOption[];
  /** A first, empty choice such as "Choose a segment…". */
  placeholder?: string;
  hint?: ReactNode;
  error?: string;
  hideLabel?: boolean;
  className?: string;
  selectClassName?: string;
}

export function Select({
  label,
  options,
  placeholder,
  hint,
  error,
  hideLabel,
  className,
  selectClassName,
  id: givenId,
  ...rest
}: SelectProps) {
  const generatedId = useId();
  const id = givenId ?? generatedId;
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} hideLabel={hideLabel} className={className}>
      <select
        {...rest}
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        className={cx(controlClasses, "pr-8", selectClassName)}
      >
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options.map((option) => (
          <option key={option.value} value={option.value} disabled={option.disabled}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}
