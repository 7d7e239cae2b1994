import "server-only";
import { z } from "zod";
import type { AuditEntry } from "@/lib/audit/record-audit";
import type { Db } from "@/lib/db/types";
import { Prisma, type ExternalResourceType } from "@/lib/generated/prisma/client";
import { integrationJobGroup } from "@/lib/gitlab/integration/job-group";
import { enqueueJobs } from "@/lib/jobs/queue";
import { defineJobKind } from "@/lib/jobs/registry";

// Which status notes a committed change alters, queued in the change's own transaction (outbox).
// It is driven by the audit entry: every mutation of Flagpost writes exactly one audit row in its
// transaction, and that row already says what changed (entity, feature, environment, fields), so
// hooking here means no mutation can forget its GitLab comment and a rolled-back change takes its
// jobs with it. Only the entries below can change what a note shows; everything else queues
// nothing and costs no query.

export const STATUS_NOTE_JOB = "gitlab.sync-status-note";
const STATUS_NOTE_MAX_ATTEMPTS = 12;

/** One note to bring in line: ids only, the handler reads current data. */
export const statusNoteJob = defineJobKind(
  STATUS_NOTE_JOB,
  z.object({
    integrationId: z.number().int(),
    featureId: z.number().int(),
    gitlabProjectId: z.number().int(),
    type: z.enum(["GITLAB_ISSUE", "GITLAB_MR"]),
    iid: z.number().int(),
  }),
);
export type StatusNotePayload = z.infer<typeof statusNoteJob.payload>;

/** One note: a feature's comment on one linked GitLab item. */
export interface NoteTarget {
  featureId: number;
  gitlabProjectId: number;
  type: ExternalResourceType;
  iid: number;
}

/** Edits of one note never run at once; a burst of changes coalesces into one pending job per note. */
export function statusNoteKey(integrationId: number, target: NoteTarget): string {
  return `status-note:${integrationId}:${target.featureId}:${target.gitlabProjectId}:${target.type}:${target.iid}`;
}

type NoteScope =
  /** The feature's linked items, and its notes not yet finalised (a deleted feature has no links left). */
  | { kind: "feature"; featureId: number }
  /** The item just linked. */
  | { kind: "link"; linkId: number }
  /** The feature's live notes whose link is gone. */
  | { kind: "unlinked"; featureId: number }
  /** Every linked item of every feature of the project (environment and segment changes). */
  | { kind: "project"; projectId: number };

/** Feature fields the note does not show: changing only these queues nothing. */
const FEATURE_FIELDS_NOT_SHOWN = new Set(["tags", "default_enabled", "initial_value", "is_permanent"]);

function changedKeys(entry: AuditEntry): string[] {
  const changes = entry.changes;
  return changes && typeof changes === "object" && !Array.isArray(changes) ? Object.keys(changes) : [];
}

/** Which notes an audited change can alter; null when it cannot alter any. */
function statusNoteScope(entry: AuditEntry): NoteScope | null {
  const featureId = entry.featureId ?? null;
  switch (entry.entityType) {
    case "feature_state":
    case "segment_override":
    case "identity_override":
    // Variants' values and default weights show in the split of every state.
    case "multivariate_option":
    // The note lists the item's pending release rules.
    case "release_rule":
      return featureId ? { kind: "feature", featureId } : null;
    case "feature":
      // A new feature has no links yet; archiving, renaming, describing and deleting show.
      if (!featureId || entry.action === "CREATE") return null;
      if (entry.action === "UPDATE" && changedKeys(entry).every((key) => FEATURE_FIELDS_NOT_SHOWN.has(key)))
        return null;
      return { kind: "feature", featureId };
    case "feature_external_resource":
      if (entry.action === "CREATE") return { kind: "link", linkId: Number(entry.entityId) };
      if (entry.action === "DELETE" && featureId) return { kind: "unlinked", featureId };
      return null;
    case "environment":
      return entry.projectId ? { kind: "project", projectId: entry.projectId } : null;
    case "segment":
      if (!entry.projectId || entry.action === "CREATE") return null;
      // Rules and descriptions are not shown; the name heads the segment's block.
      if (entry.action === "UPDATE" && !changedKeys(entry).includes("name")) return null;
      return { kind: "project", projectId: entry.projectId };
    default:
      return null;
  }
}

interface TargetRow {
  feature_id: number;
  project_id: number;
  type: ExternalResourceType;
  gitlab_project_id: number;
  iid: number;
  integration_id: number;
}

/** The notes in scope, each with the project's live integration (none: nothing to do). */
function targetsOf(db: Db, scope: NoteScope): Promise<TargetRow[]> {
  const linked = Prisma.sql`
    SELECT r.feature_id, f.project_id, r.type, r.gitlab_project_id, r.iid, g.id AS integration_id
    FROM external_resources r
    JOIN features f ON f.id = r.feature_id
    JOIN gitlab_integrations g ON g.live_project_id = f.project_id`;
  const liveNotes = Prisma.sql`
    SELECT s.feature_id, s.project_id, s.type, s.gitlab_project_id, s.iid, g.id AS integration_id
    FROM status_notes s
    JOIN gitlab_integrations g ON g.live_project_id = s.project_id
    WHERE s.finalised_at IS NULL`;
  switch (scope.kind) {
    case "feature":
      return db.$queryRaw<TargetRow[]>`
        ${linked} WHERE r.feature_id = ${scope.featureId}
        UNION
        ${liveNotes} AND s.feature_id = ${scope.featureId}`;
    case "link":
      return db.$queryRaw<TargetRow[]>`${linked} WHERE r.id = ${scope.linkId}`;
    case "unlinked":
      return db.$queryRaw<TargetRow[]>`
        ${liveNotes} AND s.feature_id = ${scope.featureId}
          AND NOT EXISTS (SELECT 1 FROM external_resources r
                          WHERE r.feature_id = s.feature_id AND r.gitlab_project_id = s.gitlab_project_id
                            AND r.type = s.type AND r.iid = s.iid)`;
    case "project":
      return db.$queryRaw<TargetRow[]>`${linked} WHERE f.project_id = ${scope.projectId}`;
  }
}

/** Queues the sync of every note the audited change alters, in the change's transaction. */
export async function queueStatusNoteSyncs(db: Db, entry: AuditEntry): Promise<void> {
  const scope = statusNoteScope(entry);
  if (!scope) return;
  const targets = await targetsOf(db, scope);
  if (targets.length === 0) return;
  if (scope.kind === "link") {
    // The note's row exists from the moment the link does, so an unlink committed while the note
    // is still being created finds it and queues the "unlinked" edit behind the creation.
    const [target] = targets;
    await db.$executeRaw`
      INSERT INTO status_notes (feature_id, project_id, type, gitlab_project_id, iid, integration_id, updated_at)
      VALUES (${target!.feature_id}, ${target!.project_id}, ${target!.type}::"ExternalResourceType", ${target!.gitlab_project_id}, ${target!.iid},
              ${target!.integration_id}, now())
      ON CONFLICT (feature_id, gitlab_project_id, type, iid) DO NOTHING`;
  }
  await enqueueJobs(
    db,
    targets.map((row) => {
      const target: NoteTarget = {
        featureId: row.feature_id,
        gitlabProjectId: row.gitlab_project_id,
        type: row.type,
        iid: row.iid,
      };
      return {
        kind: STATUS_NOTE_JOB,
        payload: { integrationId: row.integration_id, ...target },
        projectId: row.project_id,
        groupKey: integrationJobGroup(row.integration_id),
        concurrencyKey: statusNoteKey(row.integration_id, target),
        coalesce: true,
        // For failures other than an outage (those never use attempts): twelve, backing off up to 10 minutes.
        maxAttempts: STATUS_NOTE_MAX_ATTEMPTS,
      };
    }),
  );
}
