import { CopyButton } from "@/components/ui/copy-button";

/** A newly created key or secret, shown this once: the warning, the value and a copy button. */
export function OnceShownSecret({ value, what }: { value: string; what: string }) {
  return (
    <>
      <p
        role="alert"
        className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/50 dark:text-amber-100"
      >
        Copy this key now. It will not be shown again; if you lose it, revoke it and create a new one.
      </p>
      <div className="flex items-center gap-2">
        <code
          aria-label={`New ${what}`}
          className="flex-1 rounded-md bg-zinc-100 px-3 py-2 font-mono text-sm break-all select-all dark:bg-zinc-800"
        >
          {value}
        </code>
        <CopyButton value={value} what={what} />
      </div>
    </>
  );
}
