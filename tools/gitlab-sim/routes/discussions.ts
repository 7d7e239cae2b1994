// Discussions API on issues and merge requests: threads of notes, new threads and replies in a thread
// (lib/api/discussions.rb). Writes share the notes routes' rules (permissions, quick actions, hooks).
import {
  DiscussionNotFoundError,
  discussionNotes,
  discussionsOf,
  NotRepliableError,
  replyToDiscussion,
  startDiscussion,
} from "../domain/discussions";
import { discussionEntity, noteEntity } from "../entities/notes";
import { ApiError, errors } from "../http";
import type { RouteContext, RouteDef } from "../router";
import type { Note } from "../types";
import { list, ok, requireViewer } from "./common";
import {
  canReadNote,
  deleteNote,
  editNote,
  KINDS,
  loadNote,
  loadTarget,
  type NoteableKind,
  postNote,
} from "./notes";

type Loaded = ReturnType<typeof loadTarget>;

function readableThread(ctx: RouteContext, { project, target }: Loaded): Note[] {
  const id = ctx.params.discussion_id ?? "";
  return discussionNotes(ctx.store, target, id).filter((n) => canReadNote(ctx, project, n));
}

/** The note must belong to the discussion named in the path. */
function loadThreadNote(ctx: RouteContext, loaded: Loaded): Note {
  const note = loadNote(ctx, loaded.project, loaded.target);
  if (note.discussionId !== ctx.params.discussion_id) throw errors.notFound();
  return note;
}

function routesFor(kind: NoteableKind): RouteDef[] {
  const base = `/projects/:id/${kind.segment}/:${kind.param}/discussions`;
  return [
    {
      method: "GET",
      path: base,
      handler: (ctx) => {
        const { project, target } = loadTarget(ctx, kind);
        const readable = ctx.store
          .notesFor(target.type, target.record.id)
          .filter((n) => canReadNote(ctx, project, n));
        return list(ctx, discussionsOf(ctx.store, target, readable), (notes) =>
          discussionEntity(ctx.store, notes),
        );
      },
    },
    {
      method: "GET",
      path: `${base}/:discussion_id`,
      handler: (ctx) => {
        const notes = readableThread(ctx, loadTarget(ctx, kind));
        if (notes.length === 0) throw errors.notFound("Discussion");
        return ok(discussionEntity(ctx.store, notes));
      },
    },
    {
      method: "POST",
      path: base,
      handler: (ctx) => {
        const { project, target } = loadTarget(ctx, kind);
        const answer = postNote(ctx, project, target, {}, (body, createdAt) =>
          startDiscussion(ctx.store, target, requireViewer(ctx).id, body, { createdAt }),
        );
        if (answer.status !== 201) return answer;
        const created = answer.body as { id: number };
        const note = ctx.store.notes.get(created.id) as Note;
        return ok(discussionEntity(ctx.store, discussionNotes(ctx.store, target, note.discussionId)), 201);
      },
    },
    {
      method: "GET",
      path: `${base}/:discussion_id/notes`,
      handler: (ctx) => {
        const notes = readableThread(ctx, loadTarget(ctx, kind));
        if (notes.length === 0) throw errors.notFound("Notes");
        return ok(notes.map((n) => noteEntity(ctx.store, n)));
      },
    },
    {
      method: "POST",
      path: `${base}/:discussion_id/notes`,
      handler: (ctx) => {
        const loaded = loadTarget(ctx, kind);
        const thread = readableThread(ctx, loaded);
        if (thread.length === 0) throw errors.notFound("Discussion");
        if (thread[0]?.system) throw errors.badRequest("400 Bad request - Discussion can not be replied to.");
        return postNote(
          ctx,
          loaded.project,
          loaded.target,
          { internal: thread[0]?.internal },
          (body, createdAt) => {
            try {
              return replyToDiscussion(
                ctx.store,
                loaded.target,
                thread[0]?.discussionId ?? "",
                requireViewer(ctx).id,
                body,
                { createdAt },
              );
            } catch (err) {
              if (err instanceof DiscussionNotFoundError) throw errors.notFound("Discussion");
              if (err instanceof NotRepliableError)
                throw new ApiError(400, { message: "400 Bad request - Discussion can not be replied to." });
              throw err;
            }
          },
        );
      },
    },
    {
      method: "GET",
      path: `${base}/:discussion_id/notes/:note_id`,
      handler: (ctx) => ok(noteEntity(ctx.store, loadThreadNote(ctx, loadTarget(ctx, kind)))),
    },
    {
      method: "PUT",
      path: `${base}/:discussion_id/notes/:note_id`,
      handler: (ctx) => {
        const loaded = loadTarget(ctx, kind);
        return editNote(ctx, loaded.project, loaded.target, loadThreadNote(ctx, loaded));
      },
    },
    {
      method: "DELETE",
      path: `${base}/:discussion_id/notes/:note_id`,
      handler: (ctx) => {
        const loaded = loadTarget(ctx, kind);
        return deleteNote(ctx, loaded.project, loadThreadNote(ctx, loaded));
      },
    },
  ];
}

export const discussionRoutes: RouteDef[] = KINDS.flatMap(routesFor);
