// Change tracking for webhook `changes`: only the fields that changed, as GitLab reports them.
import type { ChangeSet } from "../types";

export function diff(before: Record<string, unknown>, after: Record<string, unknown>): ChangeSet {
  const changes: ChangeSet = {};
  for (const key of Object.keys(after)) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      changes[key] = { previous: before[key] ?? null, current: after[key] ?? null };
    }
  }
  return changes;
}

const CONTENT_KEYS = [
  "title",
  "description",
  "labels",
  "assignees",
  "reviewers",
  "confidential",
  "discussion_locked",
  "type",
  "draft",
  "target_branch",
  "state_id",
];

export function hasContentChange(changes: ChangeSet): boolean {
  return CONTENT_KEYS.some((k) => k in changes);
}
