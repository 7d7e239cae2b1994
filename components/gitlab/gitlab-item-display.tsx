import { Badge } from "@/components/ui/badge";
import type { LinkType } from "@/lib/client/queries/gitlab-types";

// How a GitLab issue or merge request looks wherever Flagpost lists one: its kind as an icon and
// its state as a badge named the way GitLab names it.

export function ItemTypeIcon({ type }: { type: LinkType }) {
  const label = type === "GITLAB_MR" ? "Merge request" : "Issue";
  return (
    <span
      role="img"
      aria-label={label}
      title={label}
      className="inline-flex size-5 items-center justify-center text-zinc-500 dark:text-zinc-400"
    >
      {type === "GITLAB_MR" ? (
        <svg
          viewBox="0 0 16 16"
          className="size-4"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.5"
          aria-hidden="true"
        >
          <circle cx="4" cy="3.5" r="1.75" />
          <circle cx="4" cy="12.5" r="1.75" />
          <circle cx="12" cy="12.5" r="1.75" />
          <path d="M4 5.25v5.5M12 10.75V7a2.5 2.5 0 0 0-2.5-2.5H7M8.5 3 7 4.5 8.5 6" />
        </svg>
      ) : (
        <svg
          viewBox="0 0 16 16"
          className="size-4"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.5"
          aria-hidden="true"
        >
          <circle cx="8" cy="8" r="6.25" />
          <circle cx="8" cy="8" r="1.5" fill="currentColor" />
        </svg>
      )}
    </span>
  );
}

/** Open / Closed / Merged / Draft, as GitLab shows them (a draft is an open merge request). */
export function ItemStateBadge({ state, draft }: { state: string; draft?: boolean }) {
  if (state === "merged") return <Badge tone="accent">Merged</Badge>;
  if (state === "closed") return <Badge tone="danger">Closed</Badge>;
  if (draft) return <Badge tone="warning">Draft</Badge>;
  return <Badge tone="success">Open</Badge>;
}
