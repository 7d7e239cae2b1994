"use client";

import { useEffect } from "react";
import { Button, ButtonLink } from "@/components/ui/button";

// Unexpected failures while rendering a page: say so and offer a retry, keeping the shell.
export default function AppError({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div role="alert" className="mx-auto flex max-w-md flex-col items-center py-20 text-center">
      <h1 className="text-xl font-semibold">Something went wrong</h1>
      <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">
        The page failed to load. Trying again usually helps; if not, the server log has the details.
      </p>
      <div className="mt-6 flex gap-2">
        <Button variant="primary" onClick={() => retry()}>
          Try again
        </Button>
        <ButtonLink href="/projects">Go to projects</ButtonLink>
      </div>
    </div>
  );
}
