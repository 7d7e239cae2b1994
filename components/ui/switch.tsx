"use client";

import { cx } from "@/components/ui/cx";
import { focusRing } from "@/components/ui/button";

interface SwitchProps {
  checked: boolean;
  onCheckedChange: (checked: boolean) => void;
  /** Accessible name, e.g. "Toggle new-checkout in Staging". */
  label: string;
  /** Shows the label next to the switch instead of only to assistive technology. */
  showLabel?: boolean;
  disabled?: boolean;
  size?: "sm" | "md";
  id?: string;
}

/** An on/off switch: a button with role="switch" and aria-checked (Space and Enter toggle it). */
export function Switch({
  checked,
  onCheckedChange,
  label,
  showLabel,
  disabled,
  size = "md",
  id,
}: SwitchProps) {
  const button = (
    <button
      id={id}
      type="button"
      role="switch"
      aria-checked={checked}
      aria-label={showLabel ? undefined : label}
      disabled={disabled}
      onClick={() => onCheckedChange(!checked)}
      className={cx(
        "relative inline-flex shrink-0 cursor-pointer items-center rounded-full transition-colors disabled:cursor-not-allowed disabled:opacity-50",
        size === "md" ? "h-6 w-11" : "h-5 w-9",
        checked ? "bg-accent-600" : "bg-zinc-300 dark:bg-zinc-600",
        focusRing,
      )}
    >
      <span
        aria-hidden="true"
        className={cx(
          "inline-block rounded-full bg-white shadow transition-transform",
          size === "md" ? "size-5" : "size-4",
          checked ? (size === "md" ? "translate-x-5.5" : "translate-x-4.5") : "translate-x-0.5",
        )}
      />
    </button>
  );
  if (!showLabel) return button;
  return (
    <label className="inline-flex items-center gap-2.5 text-sm font-medium">
      {button}
      <span>{label}</span>
    </label>
  );
}
