// System notes GitLab records on issues and merge requests (label changes, title edits, state changes).
import type { SimStore } from "../store";
import type { Issue, MergeRequest, Note } from "../types";
import { randomUUID } from "node:crypto";
import { sha1, tick } from "../util";

export function systemNote(
  store: SimStore,
  target: Issue | MergeRequest,
  type: "Issue" | "MergeRequest",
  authorId: number,
  body: string,
): void {
  const now = tick();
  const note: Note = {
    id: store.nextId("note"),
    projectId: target.projectId,
    noteableType: type,
    noteableId: target.id,
    body,
    authorId,
    createdAt: now,
    updatedAt: now,
    updatedById: null,
    system: true,
    internal: false,
    type: null,
    discussionId: sha1(randomUUID()),
  };
  store.notes.set(note.id, note);
}

export function labelSystemNote(
  store: SimStore,
  target: Issue | MergeRequest,
  type: "Issue" | "MergeRequest",
  actorId: number,
  before: number[],
  after: number[],
): void {
  const added = after.filter((id) => !before.includes(id));
  const removed = before.filter((id) => !after.includes(id));
  if (added.length === 0 && removed.length === 0) return;
  const refs = (ids: number[]) => ids.map((id) => `~${id}`).join(" ");
  const parts: string[] = [];
  if (added.length) parts.push(`added ${refs(added)}`);
  if (removed.length) parts.push(`removed ${refs(removed)}`);
  const count = added.length + removed.length;
  systemNote(store, target, type, actorId, `${parts.join(" and ")} label${count > 1 ? "s" : ""}`);
}
