import { cx } from "@/components/ui/cx";

export function Skeleton({ className }: { className?: string }) {
  return (
    <div aria-hidden="true" className={cx("animate-pulse rounded bg-zinc-200 dark:bg-zinc-800", className)} />
  );
}

/** Placeholder rows while a table loads; announced once as "Loading…". */
export function TableSkeleton({
  rows = 6,
  columns = 4,
  label = "Loading…",
}: {
  rows?: number;
  columns?: number;
  label?: string;
}) {
  return (
    <div
      role="status"
      className="overflow-hidden rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900"
    >
      <span className="sr-only">{label}</span>
      <div className="border-b border-zinc-200 bg-zinc-50 px-4 py-3 dark:border-zinc-800 dark:bg-zinc-900">
        <Skeleton className="h-3 w-32" />
      </div>
      {Array.from({ length: rows }, (_, row) => (
        <div
          key={row}
          className="flex gap-6 border-b border-zinc-100 px-4 py-4 last:border-b-0 dark:border-zinc-800"
        >
          {Array.from({ length: columns }, (_, column) => (
            <Skeleton key={column} className={cx("h-4", column === 0 ? "w-1/3" : "w-1/6")} />
          ))}
        </div>
      ))}
    </div>
  );
}

export function BlockSkeleton({ lines = 3, label = "Loading…" }: { lines?: number; label?: string }) {
  return (
    <div role="status" className="space-y-3">
      <span className="sr-only">{label}</span>
      {Array.from({ length: lines }, (_, line) => (
        <Skeleton key={line} className={cx("h-4", line % 2 ? "w-2/3" : "w-full")} />
      ))}
    </div>
  );
}
