"use client";

import { Button } from "@/components/ui/button";
import { errorMessage } from "@/lib/client/queries/api-client";

/** An inline failure with the reason and a way to try again. */
export function ErrorState({
  error,
  onRetry,
  title = "Could not load this",
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}) {
  return (
    <div
      role="alert"
      className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/50 dark:text-red-100"
    >
      <div>
        <p className="font-semibold">{title}</p>
        <p className="text-red-800 dark:text-red-200">{errorMessage(error)}</p>
      </div>
      {onRetry && (
        <Button size="sm" onClick={onRetry}>
          Try again
        </Button>
      )}
    </div>
  );
}
