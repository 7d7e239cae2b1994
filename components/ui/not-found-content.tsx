import { ButtonLink } from "@/components/ui/button";

/** What a missing page (or one you may not see) shows, with a way back. */
export function NotFoundContent() {
  return (
    <div className="mx-auto flex max-w-md flex-col items-center py-20 text-center">
      <p className="text-sm font-semibold text-accent-600 dark:text-accent-400">404</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight">We could not find that page</h1>
      <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">
        It may have been deleted, renamed, or it belongs to a project you are not a member of.
      </p>
      <ButtonLink href="/projects" variant="primary" className="mt-6">
        Go to projects
      </ButtonLink>
    </div>
  );
}
