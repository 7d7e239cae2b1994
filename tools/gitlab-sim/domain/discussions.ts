// Discussions (threads), as GitLab's Discussions API sees notes: every note belongs to one discussion
// id. A standalone comment is an individual discussion; starting a thread creates a `DiscussionNote`;
// replying to a standalone comment converts it into a thread first (system notes cannot be replied to).
import { SimError, type SimStore } from "../store";
import type { Note, SimEvent } from "../types";
import { createNote, type NoteOptions, type NoteTarget } from "./notes";

/** Oldest first, like GitLab's `fresh` order. */
function byAge(a: Note, b: Note): number {
  return a.createdAt === b.createdAt ? a.id - b.id : a.createdAt < b.createdAt ? -1 : 1;
}

export function discussionNotes(store: SimStore, target: NoteTarget, discussionId: string): Note[] {
  return store
    .notesFor(target.type, target.record.id)
    .filter((n) => n.discussionId === discussionId)
    .sort(byAge);
}

/** The item's discussions in the order of their first note, each with its notes oldest first. */
export function discussionsOf(
  store: SimStore,
  target: NoteTarget,
  notes: Note[] = store.notesFor(target.type, target.record.id),
): Note[][] {
  const groups = new Map<string, Note[]>();
  for (const note of [...notes].sort(byAge)) {
    const group = groups.get(note.discussionId);
    if (group) group.push(note);
    else groups.set(note.discussionId, [note]);
  }
  return [...groups.values()];
}

export function startDiscussion(
  store: SimStore,
  target: NoteTarget,
  authorId: number,
  body: string,
  opts: Omit<NoteOptions, "type" | "discussionId"> = {},
): { note: Note; events: SimEvent[] } {
  return createNote(store, target, authorId, body, { ...opts, type: "DiscussionNote" });
}

export class DiscussionNotFoundError extends SimError {}
export class NotRepliableError extends SimError {}

/** Replies in a thread. The reply inherits the thread's internal flag, as GitLab's reply attributes do. */
export function replyToDiscussion(
  store: SimStore,
  target: NoteTarget,
  discussionId: string,
  authorId: number,
  body: string,
  opts: { createdAt?: string } = {},
): { note: Note; events: SimEvent[] } {
  const thread = discussionNotes(store, target, discussionId);
  const first = thread[0];
  if (!first) throw new DiscussionNotFoundError(`unknown discussion ${discussionId}`);
  if (first.system) throw new NotRepliableError("Discussion can not be replied to.");
  // A standalone comment becomes the first note of a thread.
  for (const note of thread) note.type = "DiscussionNote";
  return createNote(store, target, authorId, body, {
    createdAt: opts.createdAt,
    internal: first.internal,
    type: "DiscussionNote",
    discussionId,
  });
}
