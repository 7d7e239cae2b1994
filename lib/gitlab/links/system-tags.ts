import type { Db } from "@/lib/db/types";

// The tags Flagpost puts on features to mirror the state of their linked GitLab issues and merge
// requests (set at link time and by webhooks), and the label it puts on those items in GitLab.
// Issue and MR tags are independent: a feature can be "Issue Open" and "MR Merged" at once.

/** GitLab's brand orange, so the tags read as "from GitLab" at a glance. */
export const GITLAB_TAG_COLOR = "#FC6D26";

export type GitLabSystemTagKey =
  "issue_open" | "issue_closed" | "mr_open" | "mr_draft" | "mr_merged" | "mr_closed";

export interface GitLabSystemTag {
  key: GitLabSystemTagKey;
  label: string;
  description: string;
  /** Issue tags replace issue tags, MR tags replace MR tags. */
  kind: "issue" | "merge_request";
}

export const GITLAB_SYSTEM_TAGS: readonly GitLabSystemTag[] = [
  {
    key: "issue_open",
    label: "Issue Open",
    kind: "issue",
    description: "A GitLab issue linked to this feature is open.",
  },
  {
    key: "issue_closed",
    label: "Issue Closed",
    kind: "issue",
    description: "The GitLab issues linked to this feature are closed.",
  },
  {
    key: "mr_open",
    label: "MR Open",
    kind: "merge_request",
    description: "A GitLab merge request linked to this feature is open and ready for review.",
  },
  {
    key: "mr_draft",
    label: "MR Draft",
    kind: "merge_request",
    description: "A GitLab merge request linked to this feature is still a draft.",
  },
  {
    key: "mr_merged",
    label: "MR Merged",
    kind: "merge_request",
    description: "A GitLab merge request linked to this feature was merged.",
  },
  {
    key: "mr_closed",
    label: "MR Closed",
    kind: "merge_request",
    description: "A GitLab merge request linked to this feature was closed without merging.",
  },
];

/** The label Flagpost adds in GitLab to every issue and merge request linked to a feature. */
export const FLAGPOST_GITLAB_LABEL = {
  name: "Flagpost",
  color: "#6837FC",
  description: "Linked to a feature flag in Flagpost",
} as const;

export function gitlabSystemTag(key: GitLabSystemTagKey): GitLabSystemTag {
  return GITLAB_SYSTEM_TAGS.find((tag) => tag.key === key)!;
}

/** Creates whichever of the six tags the project lacks (safe to call again); returns how many were added. */
export async function ensureGitLabSystemTags(db: Db, projectId: number): Promise<number> {
  const { count } = await db.tag.createMany({
    data: GITLAB_SYSTEM_TAGS.map((tag) => ({
      projectId,
      label: tag.label,
      color: GITLAB_TAG_COLOR,
      description: tag.description,
      type: "GITLAB" as const,
      isSystemTag: true,
    })),
    skipDuplicates: true,
  });
  return count;
}
