// REST API v4 representation of notes (comments).
import type { SimStore } from "../store";
import type { Note } from "../types";
import { userBasicById } from "./users";

export function noteEntity(store: SimStore, note: Note) {
  const noteable =
    note.noteableType === "Issue" ? store.issues.get(note.noteableId) : store.mergeRequests.get(note.noteableId);
  return {
    id: note.id,
    type: null,
    body: note.body,
    author: userBasicById(store, note.authorId),
    created_at: note.createdAt,
    updated_at: note.updatedAt,
    system: note.system,
    noteable_id: note.noteableId,
    noteable_type: note.noteableType,
    project_id: note.projectId,
    resolvable: false,
    confidential: note.internal,
    internal: note.internal,
    imported: false,
    imported_from: "none",
    noteable_iid: noteable?.iid ?? null,
    commands_changes: {},
  };
}
