// Notes (comments) on issues and merge requests, including quick actions in note bodies. The write
// paths are shared with the Discussions API (discussions.ts).
import { createNote, type NoteOptions, type NoteTarget, updateNote } from "../domain/notes";
import { noteEntity } from "../entities/notes";
import { type ApiResponse, ApiError, bool, errors, has, oneOf, str } from "../http";
import { runQuickActions } from "../quick-actions";
import type { RouteContext, RouteDef } from "../router";
import type { Note, Project } from "../types";
import { ACCESS_LEVEL } from "../types";
import { emit, intParam, level, list, loadProject, ok, requireViewer, sortBy } from "./common";
import { findReadableIssue } from "./issues";
import { findMergeRequest } from "./merge-requests";

type Target = NoteTarget;

export interface NoteableKind {
  segment: "issues" | "merge_requests";
  param: string;
  notFound: string;
  find(ctx: RouteContext, project: Project, iid: number): Target | undefined;
}

export const KINDS: NoteableKind[] = [
  {
    segment: "issues",
    param: "issue_iid",
    notFound: "Issue",
    find: (ctx, project, iid) => {
      const issue = findReadableIssue(ctx, project, iid);
      return issue ? { type: "Issue", record: issue } : undefined;
    },
  },
  {
    segment: "merge_requests",
    param: "merge_request_iid",
    notFound: "MergeRequest",
    find: (ctx, project, iid) => {
      const mr = findMergeRequest(ctx, project, iid);
      return mr ? { type: "MergeRequest", record: mr } : undefined;
    },
  },
];

export function loadTarget(ctx: RouteContext, kind: NoteableKind): { project: Project; target: Target } {
  const project = loadProject(ctx);
  const target = kind.find(ctx, project, intParam(ctx, kind.param));
  if (!target) throw errors.notFound(kind.notFound);
  return { project, target };
}

export function canReadNote(ctx: RouteContext, project: Project, note: Note): boolean {
  if (!note.internal) return true;
  return level(ctx, project) >= ACCESS_LEVEL.planner;
}

export function loadNote(ctx: RouteContext, project: Project, target: Target): Note {
  const id = intParam(ctx, "note_id");
  const note = ctx.store.notes.get(id);
  if (
    !note ||
    note.noteableType !== target.type ||
    note.noteableId !== target.record.id ||
    !canReadNote(ctx, project, note)
  ) {
    throw errors.notFound();
  }
  return note;
}

function readBody(ctx: RouteContext): string {
  if (!has(ctx.input, "body")) throw errors.missing("body");
  const body = str(ctx.input, "body") ?? "";
  if (!body.trim()) throw new ApiError(400, { error: "body is empty" });
  if (body.length > 1_000_000)
    throw errors.badRequest({ note: ["is too long (maximum is 1000000 characters)"] });
  return body;
}

/**
 * Creates a note as the token's user: quick actions run first; a body of quick actions only posts
 * nothing and answers 202. `create` makes the note (a standalone comment unless the caller starts or
 * joins a thread).
 */
export function postNote(
  ctx: RouteContext,
  project: Project,
  target: Target,
  opts: { internal?: boolean; type?: NoteOptions["type"] },
  create: (body: string, createdAt: string | undefined) => ReturnType<typeof createNote> = (
    body,
    createdAt,
  ) =>
    createNote(ctx.store, target, requireViewer(ctx).id, body, {
      internal: opts.internal,
      type: opts.type,
      createdAt,
    }),
): ApiResponse {
  const store = ctx.store;
  const user = requireViewer(ctx);
  const body = readBody(ctx);
  const lvl = level(ctx, project);
  if (target.record.discussionLocked && lvl < ACCESS_LEVEL.reporter) throw errors.forbidden();
  if (project.archived) throw errors.forbidden();
  if (opts.internal && lvl < ACCESS_LEVEL.planner) throw errors.forbidden();
  const createdAt = str(ctx.input, "created_at");
  const qa = runQuickActions(store, project, target, user, body);
  emit(ctx, qa.events);
  if (qa.executed.length > 0 && qa.body === "") {
    // Only quick actions: nothing is posted; GitLab answers 202 with the command summary.
    return ok({ commands_changes: qa.commandsChanges, summary: qa.summary }, 202);
  }
  const { note, events } = create(
    qa.body,
    createdAt && (user.isAdmin || lvl >= ACCESS_LEVEL.owner) ? createdAt : undefined,
  );
  emit(ctx, events);
  return ok({ ...noteEntity(store, note), commands_changes: qa.commandsChanges }, 201);
}

/** Edits a note's body: the author, or a Maintainer moderating; system notes are never editable. */
export function editNote(ctx: RouteContext, project: Project, target: Target, note: Note): ApiResponse {
  const store = ctx.store;
  const user = requireViewer(ctx);
  const body = readBody(ctx);
  if (note.system || (note.authorId !== user.id && level(ctx, project) < ACCESS_LEVEL.maintainer)) {
    throw errors.forbidden();
  }
  const qa = runQuickActions(store, project, target, user, body);
  emit(ctx, qa.events);
  if (qa.executed.length > 0 && qa.body === "") {
    // Editing a note down to quick actions only deletes it, as Notes::UpdateService does.
    store.notes.delete(note.id);
    return ok(noteEntity(store, note));
  }
  emit(ctx, updateNote(store, note, user.id, qa.body));
  return ok(noteEntity(store, note));
}

export function deleteNote(ctx: RouteContext, project: Project, note: Note): ApiResponse {
  const user = requireViewer(ctx);
  if (note.system || (note.authorId !== user.id && level(ctx, project) < ACCESS_LEVEL.maintainer)) {
    throw errors.forbidden();
  }
  ctx.store.notes.delete(note.id);
  return { status: 204 };
}

function routesFor(kind: NoteableKind): RouteDef[] {
  const base = `/projects/:id/${kind.segment}/:${kind.param}/notes`;
  return [
    {
      method: "GET",
      path: base,
      auth: "optional",
      handler: (ctx) => {
        const { project, target } = loadTarget(ctx, kind);
        const sort = oneOf(ctx.input, "sort", ["asc", "desc"] as const) ?? "desc";
        const orderBy = oneOf(ctx.input, "order_by", ["created_at", "updated_at"] as const) ?? "created_at";
        const filter =
          oneOf(ctx.input, "activity_filter", ["all_notes", "only_comments", "only_activity"] as const) ??
          "all_notes";
        let notes = ctx.store
          .notesFor(target.type, target.record.id)
          .filter((n) => canReadNote(ctx, project, n));
        if (filter === "only_comments") notes = notes.filter((n) => !n.system);
        if (filter === "only_activity") notes = notes.filter((n) => n.system);
        const sorted = sortBy(
          notes,
          (n) => (orderBy === "updated_at" ? n.updatedAt : n.createdAt),
          sort,
          (n) => n.id,
        );
        return list(ctx, sorted, (n) => noteEntity(ctx.store, n));
      },
    },
    {
      method: "GET",
      path: `${base}/:note_id`,
      auth: "optional",
      handler: (ctx) => {
        const { project, target } = loadTarget(ctx, kind);
        return ok(noteEntity(ctx.store, loadNote(ctx, project, target)));
      },
    },
    {
      method: "POST",
      path: base,
      handler: (ctx) => {
        const { project, target } = loadTarget(ctx, kind);
        const internal = (bool(ctx.input, "internal") ?? false) || (bool(ctx.input, "confidential") ?? false);
        return postNote(ctx, project, target, { internal });
      },
    },
    {
      method: "PUT",
      path: `${base}/:note_id`,
      handler: (ctx) => {
        const { project, target } = loadTarget(ctx, kind);
        return editNote(ctx, project, target, loadNote(ctx, project, target));
      },
    },
    {
      method: "DELETE",
      path: `${base}/:note_id`,
      handler: (ctx) => {
        const { project, target } = loadTarget(ctx, kind);
        return deleteNote(ctx, project, loadNote(ctx, project, target));
      },
    },
  ];
}

export const noteRoutes: RouteDef[] = KINDS.flatMap(routesFor);
