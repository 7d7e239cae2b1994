"use client";

import { useId, type ComponentProps, type ReactNode } from "react";
import { cx } from "@/components/ui/cx";

interface CheckboxProps extends Omit<ComponentProps<"input">, "type" | "className"> {
  label: ReactNode;
  hint?: ReactNode;
  className?: string;
}

/** A native checkbox with its label beside it (the whole label is clickable). */
export function Checkbox({ label, hint, className, id: givenId, ...rest }: CheckboxProps) {
  const generatedId = useId();
  const id = givenId ?? generatedId;
  return (
    <div className={cx("flex items-start gap-2.5", className)}>
      <input
        {...rest}
        id={id}
        type="checkbox"
        aria-describedby={hint ? `${id}-hint` : undefined}
        className="mt-0.5 size-4 shrink-0 rounded border-zinc-300 accent-accent-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent-600"
      />
      <div className="text-sm">
        <label htmlFor={id} className="font-medium text-zinc-800 dark:text-zinc-200">
          {label}
        </label>
        {hint && (
          <p id={`${id}-hint`} className="text-xs text-zinc-500 dark:text-zinc-400">
            {hint}
          </p>
        )}
      </div>
    </div>
  );
}
