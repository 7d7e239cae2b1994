// Note (comment) mutations; each returns the Note Hook event it triggers. A standalone comment is its own
// individual discussion; a thread's notes are `DiscussionNote`s sharing one discussion id (see discussions.ts).
import { randomUUID } from "node:crypto";
import type { SimStore } from "../store";
import type { Issue, MergeRequest, Note, SimEvent } from "../types";
import { sha1, tick } from "../util";

export type NoteTarget = { type: "Issue"; record: Issue } | { type: "MergeRequest"; record: MergeRequest };

export interface NoteOptions {
  internal?: boolean;
  createdAt?: string;
  type?: Note["type"];
  /** Joins an existing discussion (a reply); otherwise the note starts its own. */
  discussionId?: string;
}

export function createNote(
  store: SimStore,
  target: { type: "Issue" | "MergeRequest"; record: Issue | MergeRequest },
  authorId: number,
  body: string,
  opts: NoteOptions = {},
): { note: Note; events: SimEvent[] } {
  const now = opts.createdAt ?? tick();
  const note: Note = {
    id: store.nextId("note"),
    projectId: target.record.projectId,
    noteableType: target.type,
    noteableId: target.record.id,
    body,
    authorId,
    createdAt: now,
    updatedAt: now,
    updatedById: null,
    system: false,
    internal: opts.internal ?? false,
    type: opts.type ?? null,
    discussionId: opts.discussionId ?? sha1(randomUUID()),
  };
  store.notes.set(note.id, note);
  const project = store.projects.get(note.projectId);
  if (project) project.lastActivityAt = now;
  return { note, events: [{ kind: "note", noteId: note.id, action: "create", actorId: authorId }] };
}

export function updateNote(store: SimStore, note: Note, actorId: number, body: string): SimEvent[] {
  note.body = body;
  note.updatedAt = tick();
  note.updatedById = actorId;
  const project = store.projects.get(note.projectId);
  if (project) project.lastActivityAt = note.updatedAt;
  return [{ kind: "note", noteId: note.id, action: "update", actorId }];
}
