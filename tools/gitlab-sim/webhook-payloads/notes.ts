// `object_attributes` of Note Hook bodies (legacy: the keys of a GitLab ~10.x note hook).
import type { Note, PayloadStyle } from "../types";
import { type Json, ts } from "./common";

/**
 * `action` is null before GitLab 16.11, which sent none. Note attributes are the record's raw columns, so
 * their timestamps keep Rails' `YYYY-MM-DD HH:MM:SS UTC` form in every version (gitlab.com captures of
 * 2023 and 2026 agree), unlike issue and merge request attributes.
 */
export function noteHookAttrs(
  note: Note,
  style: PayloadStyle,
  action: "create" | "update" | null,
  url: string,
): Json {
  if (style === "legacy") {
    // Keys of a GitLab ~10.x note hook (tests/fixtures/gitlab-webhooks/note_issue.json without `action`).
    return {
      id: note.id,
      note: note.body,
      noteable_type: note.noteableType,
      author_id: note.authorId,
      created_at: ts(style, note.createdAt),
      updated_at: ts(style, note.updatedAt),
      project_id: note.projectId,
      attachment: null,
      line_code: null,
      commit_id: "",
      noteable_id: note.noteableId,
      system: note.system,
      st_diff: null,
      url,
    };
  }
  return {
    attachment: null,
    author_id: note.authorId,
    change_position: null,
    commit_id: null,
    created_at: ts("legacy", note.createdAt),
    discussion_id: note.discussionId,
    id: note.id,
    internal: note.internal,
    line_code: null,
    note: note.body,
    noteable_id: note.noteableId,
    noteable_type: note.noteableType,
    original_position: null,
    position: null,
    project_id: note.projectId,
    resolved_at: null,
    resolved_by_id: null,
    resolved_by_push: null,
    st_diff: null,
    system: note.system,
    type: note.type,
    updated_at: ts("legacy", note.updatedAt),
    updated_by_id: note.updatedById,
    description: note.body,
    url,
    ...(action ? { action } : {}),
  };
}
