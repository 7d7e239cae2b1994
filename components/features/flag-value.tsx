import { cx } from "@/components/ui/cx";
import type { FlagValue } from "@/lib/client/queries/types";

/** A flag value exactly as typed: `""`, `0` and `false` are visible values; null reads "no value". */
export function FlagValueText({ value, className }: { value: FlagValue | undefined; className?: string }) {
  if (value === null || value === undefined) {
    return <span className={cx("text-sm text-zinc-400 italic dark:text-zinc-500", className)}>no value</span>;
  }
  const text = typeof value === "string" ? (value === "" ? '""' : value) : String(value);
  return (
    <code
      title={
        typeof value === "string"
          ? value === ""
            ? "Empty string"
            : value
          : `${typeof value === "number" ? "Number" : "Boolean"} ${text}`
      }
      className={cx(
        "inline-block max-w-64 truncate rounded bg-zinc-100 px-1.5 py-0.5 align-middle font-mono text-xs text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200",
        className,
      )}
    >
      {text}
    </code>
  );
}
