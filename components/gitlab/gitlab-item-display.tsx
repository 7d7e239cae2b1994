import { CircleDot, EyeOff, GitMerge, GitPullRequest } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import type { LinkType } from "@/lib/client/queries/gitlab-types";

// How a GitLab issue or merge request looks wherever Flagpost lists one: its kind as an icon and
// its state as a badge named and coloured the way GitLab shows it (open green, closed issue blue,
// merged purple, closed merge request red).

export function ItemTypeIcon({ type }: { type: LinkType }) {
  const label = type === "GITLAB_MR" ? "Merge request" : "Issue";
  const Icon = type === "GITLAB_MR" ? GitPullRequest : CircleDot;
  return (
    <span
      role="img"
      aria-label={label}
      title={label}
      className="inline-flex size-5 shrink-0 items-center justify-center text-zinc-500 dark:text-zinc-400"
    >
      <Icon aria-hidden="true" className="size-4" />
    </span>
  );
}

/** Open / Closed / Merged / Draft, as GitLab shows them (a draft is an open merge request). */
export function ItemStateBadge({ state, draft, type }: { state: string; draft?: boolean; type?: LinkType }) {
  if (state === "merged")
    return (
      <Badge tone="merged">
        <GitMerge aria-hidden="true" className="mr-1 size-3" />
        Merged
      </Badge>
    );
  // GitLab: a closed issue is blue, a merge request closed without merging red.
  if (state === "closed") return <Badge tone={type === "GITLAB_MR" ? "danger" : "info"}>Closed</Badge>;
  if (draft) return <Badge tone="warning">Draft</Badge>;
  return <Badge tone="success">Open</Badge>;
}

/** GitLab shows confidential issues only to project members with at least Reporter access. */
export function ConfidentialMark() {
  return (
    <span title="Confidential: only project members with Reporter access or more see it in GitLab">
      <Badge tone="warning">
        <EyeOff aria-hidden="true" className="mr-1 size-3" />
        Confidential
      </Badge>
    </span>
  );
}
