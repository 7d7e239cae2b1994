// REST API v4 representation of notes (comments).
import type { SimStore } from "../store";
import type { Note } from "../types";
import { userBasicById } from "./users";

export function noteEntity(store: SimStore, note: Note) {
  const noteable =
    note.noteableType === "Issue"
      ? store.issues.get(note.noteableId)
      : store.mergeRequests.get(note.noteableId);
  // Only threads on merge requests can be resolved.
  const resolvable = note.type === "DiscussionNote" && note.noteableType === "MergeRequest" && !note.system;
  return {
    id: note.id,
    type: note.type,
    body: note.body,
    author: userBasicById(store, note.authorId),
    created_at: note.createdAt,
    updated_at: note.updatedAt,
    system: note.system,
    noteable_id: note.noteableId,
    noteable_type: note.noteableType,
    project_id: note.projectId,
    resolvable,
    ...(resolvable ? { resolved: false, resolved_by: null, resolved_at: null } : {}),
    confidential: note.internal,
    internal: note.internal,
    imported: false,
    imported_from: "none",
    noteable_iid: noteable?.iid ?? null,
    commands_changes: {},
  };
}

/** A discussion as the Discussions API returns it: its id, whether it is a standalone comment, its notes. */
export function discussionEntity(store: SimStore, notes: Note[]) {
  const first = notes[0];
  return {
    id: first?.discussionId ?? "",
    individual_note: notes.length === 1 && first?.type === null,
    notes: notes.map((n) => {
      const { commands_changes: _omit, ...entity } = noteEntity(store, n);
      return entity;
    }),
  };
}
