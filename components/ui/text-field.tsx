"use client";

import { useId, type ComponentProps, type ReactNode } from "react";
import { cx } from "@/components/ui/cx";
import { focusRing } from "@/components/ui/button";

// Labelled form controls: the label, hint and error are wired to the control with ids so screen
// readers announce them, and `aria-invalid` marks a field with an error.

export const controlClasses = cx(
  "block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm text-zinc-900 shadow-sm placeholder:text-zinc-400",
  "disabled:cursor-not-allowed disabled:bg-zinc-100 disabled:text-zinc-500",
  "aria-[invalid=true]:border-red-500",
  "dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:disabled:bg-zinc-800",
  focusRing,
);

interface FieldFrameProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  hideLabel?: boolean;
  className?: string;
  children: ReactNode;
}

export function FieldFrame({ id, label, hint, error, hideLabel, className, children }: FieldFrameProps) {
  return (
    <div className={cx("space-y-1.5", className)}>
      <label
        htmlFor={id}
        className={cx("block text-sm font-medium text-zinc-800 dark:text-zinc-200", hideLabel && "sr-only")}
      >
        {label}
      </label>
      {children}
      {hint && !error && (
        <p id={`${id}-hint`} className="text-xs text-zinc-500 dark:text-zinc-400">
          {hint}
        </p>
      )}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

export function FieldError({ id, message }: { id?: string; message?: string }) {
  if (!message) return null;
  return (
    <p id={id} className="text-xs font-medium text-red-600 dark:text-red-400">
      {message}
    </p>
  );
}

export function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  return error ? `${id}-error` : hint ? `${id}-hint` : undefined;
}

interface TextFieldBase {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  hideLabel?: boolean;
  className?: string;
}

type InputFieldProps = TextFieldBase & { multiline?: false } & Omit<ComponentProps<"input">, "className">;
type TextAreaFieldProps = TextFieldBase & { multiline: true } & Omit<ComponentProps<"textarea">, "className">;

/** A labelled text input, or a textarea with `multiline`. */
export function TextField(props: InputFieldProps | TextAreaFieldProps) {
  const generatedId = useId();
  const { label, hint, error, hideLabel, className } = props;
  const id = props.id ?? generatedId;
  const aria = { "aria-invalid": error ? true : undefined, "aria-describedby": describedBy(id, hint, error) };
  let control: ReactNode;
  if (props.multiline) {
    const { label: _l, hint: _h, error: _e, hideLabel: _hl, className: _c, multiline: _m, ...rest } = props;
    control = <textarea {...rest} id={id} {...aria} className={cx(controlClasses, "min-h-20")} />;
  } else {
    const { label: _l, hint: _h, error: _e, hideLabel: _hl, className: _c, multiline: _m, ...rest } = props;
    control = <input type="text" {...rest} id={id} {...aria} className={controlClasses} />;
  }
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} hideLabel={hideLabel} className={className}>
      {control}
    </FieldFrame>
  );
}
