import "server-only";
import { createHash } from "node:crypto";
import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import type { GitLabIntegration, StatusNote } from "@/lib/generated/prisma/client";
import {
  STATUS_NOTE_JOB,
  type NoteTarget,
  type StatusNotePayload,
} from "@/lib/gitlab/notes/status-note-outbox";
import { enqueueJob, type ClaimedJob } from "@/lib/jobs/queue";
import {
  hasChangeMarker,
  hasNoteMarker,
  renderChangeNote,
  renderFinalNote,
  renderStatusNote,
  type FinalReason,
} from "@/lib/vcs/status-comment";
import { ItemNotes } from "@/lib/gitlab/notes/item-notes";
import {
  actorNames,
  CHANGE_TYPES,
  changeLine,
  fromTo,
  loadSnapshot,
  type FeatureRow,
} from "@/lib/gitlab/notes/note-snapshot";

// The job that brings one feature's comment on one linked GitLab item in line with Flagpost. It
// carries ids only and decides from the database when it runs, so a job that runs late (GitLab
// was down, a burst was coalesced) writes the final state once. Decision: feature gone → final
// "deleted" edit; link gone → final "unlinked" edit; feature archived → final "no longer tracked"
// edit; otherwise the status note (or, in the per-change style, one new note per change).
// Exactly once from GitLab's point of view: the note id is saved right after the POST, and before
// any POST the item's notes are searched for our marker (written by our token's user), so a crash
// between the POST and the save never leaves a duplicate.

/** Per-change notes posted per run; the rest follow in the next job (a lease must cover a run). */
const MAX_CHANGES_PER_RUN = 20;
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

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

  private save(
    row: StatusNote,
    data: Partial<
      Pick<StatusNote, "noteId" | "bodyHash" | "finalisedAt" | "lastChangeId" | "postingChangeId">
    >,
  ) {
    return prisma.statusNote.update({ where: { id: row.id }, data });
  }

  /** The note's row, created if missing; a row from an earlier integration starts over (its note cannot be edited). */
  async ensureRow(existing: StatusNote | null, projectId: number): Promise<StatusNote> {
    const fresh = {
      noteId: null,
      bodyHash: null,
      finalisedAt: null,
      lastChangeId: null,
      postingChangeId: null,
      integrationId: this.integration.id,
    };
    if (!existing) {
      return prisma.statusNote.upsert({
        where: { featureId_gitlabProjectId_type_iid: this.target },
        create: { ...this.target, projectId, integrationId: this.integration.id },
        update: {},
      });
    }
    if (existing.integrationId === this.integration.id) return existing;
    return prisma.statusNote.update({
      where: { id: existing.id },
      data: existing.integrationId === null ? { integrationId: this.integration.id } : fresh,
    });
  }

  /** The last edit: says the flag is gone; no further edits unless it comes back (re-link, restore). */
  async finalise(row: StatusNote | null, reason: FinalReason, featureName: string, at: Date): Promise<void> {
    if (!row || row.finalisedAt || (row.integrationId !== null && row.integrationId !== this.integration.id))
      return;
    const body = renderFinalNote(this.target.featureId, featureName, reason, at);
    let noteId = row.noteId;
    // Never saved: a note may still exist if a crash came between its POST and the save.
    if (noteId === null) noteId = (await this.notes.find(this.wanted, { itemMayBeGone: true }))?.id ?? null;
    if (noteId !== null) noteId = await this.notes.replace(noteId, body, this.wanted, { keepDeleted: true });
    await this.save(row, {
      noteId: noteId ?? row.noteId,
      bodyHash: noteId === null ? row.bodyHash : sha256(body),
      finalisedAt: new Date(),
      postingChangeId: null,
    });
  }

  /** The status note (also the per-change style's first note, and a finalised note coming back). */
  async writeStatus(row: StatusNote, feature: FeatureRow): Promise<void> {
    const { snapshot, lastChangeId } = await loadSnapshot(feature, this.target);
    const body = renderStatusNote(snapshot, env().FLAGPOST_PUBLIC_URL);
    const hash = sha256(body);
    if (row.noteId !== null && row.finalisedAt === null && row.bodyHash === hash) {
      if (row.lastChangeId !== lastChangeId) await this.save(row, { lastChangeId });
      return;
    }
    const noteId =
      row.noteId === null
        ? await this.notes.findOrCreate(this.wanted, body)
        : await this.notes.replace(row.noteId, body, this.wanted);
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
    const environmentIds = [
      ...new Set(batch.flatMap((change) => (change.environmentId === null ? [] : [change.environmentId]))),
    ];
    const environments = new Map(
      (
        await prisma.environment.findMany({
          where: { id: { in: environmentIds } },
          select: { id: true, name: true },
        })
      ).map((e) => [e.id, e.name]),
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
async function goneAt(
  featureId: number,
  entityType: "feature" | "feature_external_resource",
): Promise<{ at: Date; name: string | null }> {
  const row = await prisma.auditLog.findFirst({
    where: { featureId, entityType, action: "DELETE" },
    orderBy: { id: "desc" },
  });
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
    prisma.feature.findUnique({
      where: { id: target.featureId },
      select: { id: true, projectId: true, name: true, description: true, archivedAt: true },
    }),
    prisma.externalResource.findUnique({ where: identity, select: { id: true } }),
    prisma.statusNote.findUnique({ where: identity }),
  ]);
  const sync = new NoteSync(job, integration, target);

  if (!feature) {
    const gone = await goneAt(target.featureId, "feature");
    return sync.finalise(existing, "deleted", gone.name ?? `#${target.featureId}`, gone.at);
  }
  if (!link)
    return sync.finalise(
      existing,
      "unlinked",
      feature.name,
      (await goneAt(feature.id, "feature_external_resource")).at,
    );
  if (feature.archivedAt) return sync.finalise(existing, "archived", feature.name, feature.archivedAt);

  const row = await sync.ensureRow(existing, feature.projectId);
  if (integration.commentStyle === "PER_CHANGE" && row.noteId !== null && row.finalisedAt === null)
    return sync.postChanges(row, feature);
  return sync.writeStatus(row, feature);
}
