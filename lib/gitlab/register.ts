import "server-only";
import { subscribeToAudit } from "@/lib/audit/record-audit";
import { cleanupLinkJob, linkCleanupIssue } from "@/lib/gitlab/cleanup/cleanup-issues";
import { gitlabIntegrationJobGroup } from "@/lib/gitlab/integration/job-group";
import { flagCommandJob } from "@/lib/gitlab/commands/receive-command";
import { runFlagCommand } from "@/lib/gitlab/commands/run-command";
import { itemLabelJob, syncItemLabel } from "@/lib/gitlab/links/link-labels";
import { queueStatusNoteSyncs, statusNoteJob } from "@/lib/gitlab/notes/status-note-outbox";
import { syncStatusNote } from "@/lib/gitlab/notes/status-notes";
import { registerJobGroup, registerJobHandler } from "@/lib/jobs/registry";

// What the GitLab integration plugs into the generic parts at boot: its job handlers, the pause
// rule of an integration's jobs, and the audit subscriber that queues status notes. Idempotent.

export function registerGitLab(): void {
  registerJobHandler(itemLabelJob, syncItemLabel);
  registerJobHandler(cleanupLinkJob, linkCleanupIssue);
  registerJobHandler(statusNoteJob, syncStatusNote);
  registerJobHandler(flagCommandJob, runFlagCommand);
  registerJobGroup(gitlabIntegrationJobGroup);
  subscribeToAudit("gitlab.status-notes", queueStatusNoteSyncs);
}
