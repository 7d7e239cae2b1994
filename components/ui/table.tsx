import type { HTMLAttributes, ReactNode, TdHTMLAttributes, ThHTMLAttributes } from "react";
import { cx } from "@/components/ui/cx";

// Data tables. The wrapper is the scroll container (both axes) so the header row can stick to
// its top; a horizontally scrolling wrapper would otherwise defeat `position: sticky`.

export function Table({
  children,
  caption,
  className,
}: {
  children: ReactNode;
  caption?: string;
  className?: string;
}) {
  return (
    <div
      className={cx(
        "max-h-[70dvh] overflow-auto rounded-lg border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900",
        className,
      )}
    >
      <table className="w-full border-separate border-spacing-0 text-left text-sm">
        {caption && <caption className="sr-only">{caption}</caption>}
        {children}
      </table>
    </div>
  );
}

export function THead({ children }: { children: ReactNode }) {
  return <thead className="sticky top-0 z-10 bg-zinc-50 dark:bg-zinc-900">{children}</thead>;
}

export function TH({ className, ...rest }: ThHTMLAttributes<HTMLTableCellElement>) {
  return (
    <th
      scope="col"
      className={cx(
        "border-b border-zinc-200 px-4 py-2.5 text-xs font-semibold tracking-wide whitespace-nowrap text-zinc-600 uppercase dark:border-zinc-800 dark:text-zinc-400",
        className,
      )}
      {...rest}
    />
  );
}

export function TBody({ children }: { children: ReactNode }) {
  return <tbody className="[&>tr:last-child>td]:border-b-0">{children}</tbody>;
}

export function TR({ className, ...rest }: HTMLAttributes<HTMLTableRowElement>) {
  return <tr className={cx("hover:bg-zinc-50/70 dark:hover:bg-zinc-800/40", className)} {...rest} />;
}

export function TD({ className, ...rest }: TdHTMLAttributes<HTMLTableCellElement>) {
  return (
    <td
      className={cx("border-b border-zinc-100 px-4 py-3 align-middle dark:border-zinc-800", className)}
      {...rest}
    />
  );
}
