import { createHash } from "node:crypto";
import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { fromStoredValue } from "@/lib/flags/flag-values";
import type { AuditLog, GitLabIntegration, StatusNote } from "@/lib/generated/prisma/client";
import { gitlabClientForIntegration, type GitLabNote } from "@/lib/gitlab/client/client";
import { GitLabApiError, isGitLabRefusal } from "@/lib/gitlab/client/errors";
import { shortReference } from "@/lib/gitlab/links/item-reference";
import { kindOfType } from "@/lib/gitlab/links/link-metadata";
import { STATUS_NOTE_JOB, type NoteTarget, type StatusNotePayload } from "@/lib/gitlab/notes/status-note-outbox";
import { PermanentJobError } from "@/lib/jobs/errors";
import { enqueueJob, type ClaimedJob } from "@/lib/jobs/queue";
import type { FlagValue } from "@/lib/validations/common";
import {
  hasChangeMarker,
  hasNoteMarker,
  renderChangeNote,
  renderFinalNote,
  renderStatusNote,
  type ChangeLine,
  type FeatureSnapshot,
  type FinalReason,
} from "@/lib/vcs/status-comment";

// The job that brings one feature's comment on one linked GitLab item in line with Flagpost. It
// carries ids only and decides from the database when it runs, so a job that runs late (GitLab
// was down, a burst was coalesced) writes the final state once. Decision: feature gone → final
// "deleted" edit; link gone → final "unlinked" edit; feature archived → final "no longer tracked"
// edit; otherwise the status note (or, in the per-change style, one new note per change).
// Exactly once from GitLab's point of view: the note id is saved right after the POST, and before
// any POST the item's notes are searched for our marker (written by our token's user), so a crash
// between the POST and the save never leaves a duplicate.

/** Audit entries that are flag-state changes: the per-change style posts one note for each. */
const CHANGE_TYPES = ["feature_state", "segment_override"];
/** What the "Recent changes" list of a status note shows. */
const RECENT_TYPES = [...CHANGE_TYPES, "feature"];
/** Per-change notes posted per run; the rest follow in the next job (a lease must cover a run). */
const MAX_CHANGES_PER_RUN = 20;
/** Pages of 100 comments searched for a note of ours before posting a new one. */
const MAX_SEARCH_PAGES = 20;

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

const isApiError = (error: unknown, status: number): error is GitLabApiError => error instanceof GitLabApiError && error.status === status;

/** The GitLab side of one (feature, item): find, post and edit our notes there. */
class ItemNotes {
  private readonly api;
  private readonly name: string;
  private readonly currentUser: () => Promise<{ id: number }>;
  private tokenUserId: number | null;

  constructor(
    integration: GitLabIntegration,
    private readonly target: NoteTarget,
  ) {
    const client = gitlabClientForIntegration(integration);
    this.api = target.type === "GITLAB_MR" ? client.mergeRequestNotes : client.issueNotes;
    this.name = `${shortReference(kindOfType(target.type), target.iid)} in GitLab project ${target.gitlabProjectId}`;
    this.tokenUserId = integration.tokenUserId;
    this.currentUser = () => client.user.current();
  }

  /** 404 and role refusals on the item cannot be retried away: fail the job with the reason. */
  private explain(error: unknown): unknown {
    if (isApiError(error, 404)) return new PermanentJobError(`${this.name} no longer exists in GitLab or is hidden from the integration's token.`);
    if (isGitLabRefusal(error)) {
      return new PermanentJobError(`GitLab refused to comment on ${this.name}: its discussion may be locked, or the token's role on the project is too low.`);
    }
    return error;
  }

  /**
   * Our newest note on the item matching `wanted` (comments by the token's user only), or null;
   * also null with `itemMayBeGone` when the item itself is gone (nothing left to correct).
   */
  async find(wanted: (body: string) => boolean, { itemMayBeGone = false } = {}): Promise<GitLabNote | null> {
    this.tokenUserId ??= (await this.currentUser()).id;
    try {
      for (let page: number | null = 1, read = 0; page !== null && read < MAX_SEARCH_PAGES; read++) {
        const result = await this.api.list(this.target.gitlabProjectId, this.target.iid, { page, perPage: 100 });
        const found = result.items.find((note) => !note.system && note.author?.id === this.tokenUserId && wanted(note.body));
        if (found) return found;
        page = result.nextPage;
      }
      return null;
    } catch (error) {
      if (itemMayBeGone && isApiError(error, 404)) return null;
      throw this.explain(error);
    }
  }

  async create(body: string): Promise<number> {
    try {
      return (await this.api.create(this.target.gitlabProjectId, this.target.iid, body)).id;
    } catch (error) {
      throw this.explain(error);
    }
  }

  /** The id of our note matching `wanted` now showing `body`: found (and edited if it differs) or posted. */
  async findOrCreate(wanted: (body: string) => boolean, body: string): Promise<number> {
    const found = await this.find(wanted);
    if (!found) return this.create(body);
    if (found.body !== body) await this.edit(found.id, body);
    return found.id;
  }

  private async edit(noteId: number, body: string): Promise<void> {
    try {
      await this.api.edit(this.target.gitlabProjectId, this.target.iid, noteId, body);
    } catch (error) {
      throw this.explain(error);
    }
  }

  /**
   * Edits the note in place. Deleted in GitLab (404): posts a new one, or with `keepDeleted`
   * gives up (null). Refused (403: the token now belongs to another user than the note's author):
   * posts a new one; this is about the note, so the integration is not paused.
   */
  async replace(noteId: number, body: string, wanted: (body: string) => boolean, { keepDeleted = false } = {}): Promise<number | null> {
    try {
      await this.api.edit(this.target.gitlabProjectId, this.target.iid, noteId, body);
      return noteId;
    } catch (error) {
      if (isApiError(error, 404)) return keepDeleted ? null : this.findOrCreate(wanted, body);
      if (isGitLabRefusal(error)) return this.findOrCreate(wanted, body);
      throw error;
    }
  }
}

interface FeatureRow {
  id: number;
  projectId: number;
  name: string;
  description: string;
  archivedAt: Date | null;
}

/** Who made a change, as a GitLab reader should see it: a name, never an email address. */
async function actorNames(rows: AuditLog[]): Promise<Map<bigint, string>> {
  const userIds = [...new Set(rows.flatMap((row) => (row.actorUserId === null ? [] : [row.actorUserId])))];
  const users = userIds.length ? await prisma.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }) : [];
  const names = new Map(users.map((user) => [user.id, user.name.trim()]));
  return new Map(
    rows.map((row) => {
      const name = row.actorUserId === null ? null : names.get(row.actorUserId);
      return [row.id, name || (row.actorUserId === null ? row.actorLabel : row.actorLabel.split("@")[0]!)];
    }),
  );
}

/** The feature's state as the note shows it, and the newest flag-state change it includes (0: none yet). */
async function loadSnapshot(feature: FeatureRow): Promise<{ snapshot: FeatureSnapshot; lastChangeId: bigint }> {
  // Read first: a change committed after this gets its own note in the per-change style.
  const lastChange = await prisma.auditLog.findFirst({
    where: { featureId: feature.id, entityType: { in: CHANGE_TYPES } },
    orderBy: { id: "desc" },
    select: { id: true },
  });
  const [environments, overrides, recent] = await Promise.all([
    prisma.environment.findMany({
      where: { projectId: feature.projectId },
      orderBy: { id: "asc" },
      select: { name: true, apiKey: true, featureStates: { where: { featureId: feature.id } } },
    }),
    prisma.segmentOverride.findMany({
      where: { featureId: feature.id },
      orderBy: [{ segment: { name: "asc" } }, { environmentId: "asc" }],
      include: { segment: { select: { name: true } }, environment: { select: { name: true, apiKey: true } } },
    }),
    prisma.auditLog.findMany({ where: { featureId: feature.id, entityType: { in: RECENT_TYPES } }, orderBy: { id: "desc" }, take: 5 }),
  ]);
  const actors = await actorNames(recent);
  return {
    lastChangeId: lastChange?.id ?? 0n,
    snapshot: {
      featureId: feature.id,
      projectId: feature.projectId,
      name: feature.name,
      description: feature.description,
      environments: environments.flatMap(({ name, apiKey, featureStates: [state] }) =>
        state ? [{ name, apiKey, enabled: state.enabled, value: fromStoredValue(state.valueType, state.value), updatedAt: state.updatedAt }] : [],
      ),
      segmentOverrides: overrides.map((override) => ({
        segmentName: override.segment.name,
        priority: override.priority,
        name: override.environment.name,
        apiKey: override.environment.apiKey,
        enabled: override.enabled,
        value: fromStoredValue(override.valueType, override.value),
        updatedAt: override.updatedAt,
      })),
      recentChanges: recent.map((row) => ({ at: row.createdAt, actor: actors.get(row.id)!, summary: row.summary })),
    },
  };
}

type FromTo = { from: unknown; to: unknown };
const fromTo = (changes: unknown, key: string): FromTo | undefined => {
  const value = changes && typeof changes === "object" ? (changes as Record<string, unknown>)[key] : undefined;
  return value && typeof value === "object" && "to" in value ? (value as FromTo) : undefined;
};

/** An audited state change as one per-change note reports it; null when nothing shown changed (e.g. a priority). */
function changeLine(row: AuditLog, environments: Map<number, string>, actor: string): ChangeLine | null {
  const created = row.action === "CREATE";
  const deleted = row.action === "DELETE";
  const enabled = fromTo(row.changes, "enabled");
  const value = fromTo(row.changes, "value");
  const segment = (row.changes as Record<string, unknown> | null)?.segment;
  const line: ChangeLine = {
    id: row.id,
    at: row.createdAt,
    actor,
    environment: (row.environmentId !== null && environments.get(row.environmentId)) || "a deleted environment",
    segment: typeof segment === "string" ? segment : null,
    created,
    deleted,
    enabled: !deleted && typeof enabled?.to === "boolean" ? { from: typeof enabled.from === "boolean" ? enabled.from : null, to: enabled.to } : undefined,
    value: !deleted && value ? { from: value.from as FlagValue, to: value.to as FlagValue } : undefined,
  };
  return created || deleted || line.enabled || line.value ? line : null;
}

class NoteSync {
  private readonly notes: ItemNotes;
  private readonly wanted: (body: string) => boolean;

  constructor(
    private readonly job: ClaimedJob,
    private readonly integration: GitLabIntegration,
    private readonly target: NoteTarget,
  ) {
    this.notes = new ItemNotes(integration, target);
    this.wanted = (body) => hasNoteMarker(body, target.featureId);
  }

  private save(row: StatusNote, data: Partial<Pick<StatusNote, "noteId" | "bodyHash" | "finalisedAt" | "lastChangeId" | "postingChangeId">>) {
    return prisma.statusNote.update({ where: { id: row.id }, data });
  }

  /** The note's row, created if missing; a row from an earlier integration starts over (its note cannot be edited). */
  async ensureRow(existing: StatusNote | null, projectId: number): Promise<StatusNote> {
    const fresh = { noteId: null, bodyHash: null, finalisedAt: null, lastChangeId: null, postingChangeId: null, integrationId: this.integration.id };
    if (!existing) {
      return prisma.statusNote.upsert({
        where: { featureId_gitlabProjectId_type_iid: this.target },
        create: { ...this.target, projectId, integrationId: this.integration.id },
        update: {},
      });
    }
    if (existing.integrationId === this.integration.id) return existing;
    return prisma.statusNote.update({ where: { id: existing.id }, data: existing.integrationId === null ? { integrationId: this.integration.id } : fresh });
  }

  /** The last edit: says the flag is gone; no further edits unless it comes back (re-link, restore). */
  async finalise(row: StatusNote | null, reason: FinalReason, featureName: string, at: Date): Promise<void> {
    if (!row || row.finalisedAt || (row.integrationId !== null && row.integrationId !== this.integration.id)) return;
    const body = renderFinalNote(this.target.featureId, featureName, reason, at);
    let noteId = row.noteId;
    // Never saved: a note may still exist if a crash came between its POST and the save.
    if (noteId === null) noteId = (await this.notes.find(this.wanted, { itemMayBeGone: true }))?.id ?? null;
    if (noteId !== null) noteId = await this.notes.replace(noteId, body, this.wanted, { keepDeleted: true });
    await this.save(row, { noteId: noteId ?? row.noteId, bodyHash: noteId === null ? row.bodyHash : sha256(body), finalisedAt: new Date(), postingChangeId: null });
  }

  /** The status note (also the per-change style's first note, and a finalised note coming back). */
  async writeStatus(row: StatusNote, feature: FeatureRow): Promise<void> {
    const { snapshot, lastChangeId } = await loadSnapshot(feature);
    const body = renderStatusNote(snapshot, env().FLAGPOST_PUBLIC_URL);
    const hash = sha256(body);
    if (row.noteId !== null && row.finalisedAt === null && row.bodyHash === hash) {
      if (row.lastChangeId !== lastChangeId) await this.save(row, { lastChangeId });
      return;
    }
    const noteId = row.noteId === null ? await this.notes.findOrCreate(this.wanted, body) : await this.notes.replace(row.noteId, body, this.wanted);
    await this.save(row, { noteId, bodyHash: hash, finalisedAt: null, lastChangeId, postingChangeId: null });
  }

  /** Per-change style: one new note for each state change since the last one posted, in order. */
  async postChanges(row: StatusNote, feature: FeatureRow): Promise<void> {
    if (row.lastChangeId === null) {
      // No cursor yet (a row older than the cursor): start from now rather than replay history.
      const { lastChangeId } = await loadSnapshot(feature);
      await this.save(row, { lastChangeId });
      return;
    }
    const pending = await prisma.auditLog.findMany({
      where: { featureId: feature.id, entityType: { in: CHANGE_TYPES }, id: { gt: row.lastChangeId } },
      orderBy: { id: "asc" },
      take: MAX_CHANGES_PER_RUN + 1,
    });
    const batch = pending.slice(0, MAX_CHANGES_PER_RUN);
    const environmentIds = [...new Set(batch.flatMap((change) => (change.environmentId === null ? [] : [change.environmentId])))];
    const environments = new Map(
      (await prisma.environment.findMany({ where: { id: { in: environmentIds } }, select: { id: true, name: true } })).map((e) => [e.id, e.name]),
    );
    const actors = await actorNames(batch);
    let posting = row.postingChangeId;
    for (const change of batch) {
      const line = changeLine(change, environments, actors.get(change.id)!);
      if (line) {
        // Resuming after a crash mid-post: the note may already be there.
        const resumed = posting === change.id;
        if (!resumed) await this.save(row, { postingChangeId: change.id });
        const posted = resumed ? await this.notes.find((body) => hasChangeMarker(body, change.id)) : null;
        if (!posted) await this.notes.create(renderChangeNote(feature.name, line));
      }
      await this.save(row, { lastChangeId: change.id, postingChangeId: null });
      posting = null;
    }
    if (pending.length > MAX_CHANGES_PER_RUN) {
      // Runs right after this job (same key): a long backlog is posted over several leases.
      await enqueueJob(prisma, {
        kind: STATUS_NOTE_JOB,
        payload: this.job.payload,
        projectId: this.job.projectId,
        groupKey: this.job.groupKey,
        concurrencyKey: this.job.concurrencyKey,
        coalesce: true,
        delayMs: 0,
        maxAttempts: this.job.maxAttempts,
      });
    }
  }
}

/** When the link or the feature went away, for the final note. */
async function goneAt(featureId: number, entityType: "feature" | "feature_external_resource"): Promise<{ at: Date; name: string | null }> {
  const row = await prisma.auditLog.findFirst({ where: { featureId, entityType, action: "DELETE" }, orderBy: { id: "desc" } });
  const name = fromTo(row?.changes, "name")?.from;
  return { at: row?.createdAt ?? new Date(), name: typeof name === "string" ? name : null };
}

export async function syncStatusNote(job: ClaimedJob<StatusNotePayload>): Promise<void> {
  const { integrationId, ...target } = job.payload;
  const integration = await prisma.gitLabIntegration.findUnique({ where: { id: integrationId } });
  // A deleted integration's token is gone; nothing can be done in GitLab any more.
  if (!integration || integration.deletedAt) return;
  const identity = { featureId_gitlabProjectId_type_iid: target };
  const [feature, link, existing] = await Promise.all([
    prisma.feature.findUnique({ where: { id: target.featureId }, select: { id: true, projectId: true, name: true, description: true, archivedAt: true } }),
    prisma.externalResource.findUnique({ where: identity, select: { id: true } }),
    prisma.statusNote.findUnique({ where: identity }),
  ]);
  const sync = new NoteSync(job, integration, target);

  if (!feature) {
    const gone = await goneAt(target.featureId, "feature");
    return sync.finalise(existing, "deleted", gone.name ?? `#${target.featureId}`, gone.at);
  }
  if (!link) return sync.finalise(existing, "unlinked", feature.name, (await goneAt(feature.id, "feature_external_resource")).at);
  if (feature.archivedAt) return sync.finalise(existing, "archived", feature.name, feature.archivedAt);

  const row = await sync.ensureRow(existing, feature.projectId);
  if (integration.commentStyle === "PER_CHANGE" && row.noteId !== null && row.finalisedAt === null) return sync.postChanges(row, feature);
  return sync.writeStatus(row, feature);
}
