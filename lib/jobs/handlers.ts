import { CLEANUP_LINK_JOB, linkCleanupIssue } from "@/lib/gitlab/cleanup/cleanup-issues";
import { ITEM_LABEL_JOB, syncItemLabel } from "@/lib/gitlab/links/link-labels";
import { STATUS_NOTE_JOB } from "@/lib/gitlab/notes/status-note-outbox";
import { syncStatusNote } from "@/lib/gitlab/notes/status-notes";
import type { JobHandlers } from "@/lib/jobs/worker";

// Every kind of background job Flagpost runs, by name. Jobs carry ids only; each handler reloads
// what it needs, so a job that runs late works on current data.
export const jobHandlers: JobHandlers = {
  [ITEM_LABEL_JOB]: syncItemLabel,
  [CLEANUP_LINK_JOB]: linkCleanupIssue,
  [STATUS_NOTE_JOB]: syncStatusNote,
};
