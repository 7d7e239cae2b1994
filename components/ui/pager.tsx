import { Button } from "@/components/ui/button";

interface PagerProps {
  page: number;
  pageSize: number;
  count: number;
  onPageChange: (page: number) => void;
  /** What is being counted, for "Showing 1–50 of 2,000 features". */
  noun?: string;
}

const numberFormat = new Intl.NumberFormat("en");

/** Previous/next paging of a server-paginated list, with the range shown. */
export function Pager({ page, pageSize, count, onPageChange, noun = "items" }: PagerProps) {
  const lastPage = Math.max(1, Math.ceil(count / pageSize));
  const first = count === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(count, page * pageSize);
  return (
    <nav
      aria-label="Pagination"
      className="flex flex-wrap items-center justify-between gap-3 pt-3 text-sm text-zinc-600 dark:text-zinc-400"
    >
      <p aria-live="polite">
        {count === 0
          ? `No ${noun}`
          : `Showing ${numberFormat.format(first)}–${numberFormat.format(last)} of ${numberFormat.format(count)} ${noun}`}
      </p>
      {lastPage > 1 && (
        <div className="flex items-center gap-2">
          <Button
            size="sm"
            onClick={() => onPageChange(page - 1)}
            disabled={page <= 1}
            aria-label="Previous page"
          >
            ← Previous
          </Button>
          <span>
            Page {numberFormat.format(page)} of {numberFormat.format(lastPage)}
          </span>
          <Button
            size="sm"
            onClick={() => onPageChange(page + 1)}
            disabled={page >= lastPage}
            aria-label="Next page"
          >
            Next →
          </Button>
        </div>
      )}
    </nav>
  );
}
