import "server-only";
import type { GitLabIntegration } from "@/lib/generated/prisma/client";
import { gitlabClientForIntegration, type GitLabNote } from "@/lib/gitlab/client/client";
import { GitLabApiError, isGitLabRefusal } from "@/lib/gitlab/client/errors";
import { shortReference } from "@/lib/gitlab/links/item-reference";
import { kindOfType } from "@/lib/gitlab/links/link-metadata";
import type { NoteTarget } from "@/lib/gitlab/notes/status-note-outbox";
import { PermanentJobError } from "@/lib/jobs/errors";

// The GitLab side of one (feature, item) status note: find our note by its marker, post, edit,
// and turn GitLab's refusals into job failures that say what to do.

/** Pages of 100 comments searched for a note of ours before posting a new one. */
const MAX_SEARCH_PAGES = 20;

const isApiError = (error: unknown, status: number): error is GitLabApiError =>
  error instanceof GitLabApiError && error.status === status;

/** The GitLab side of one (feature, item): find, post and edit our notes there. */
export class ItemNotes {
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
    if (isApiError(error, 404))
      return new PermanentJobError(
        `${this.name} no longer exists in GitLab or is hidden from the integration's token.`,
      );
    if (isGitLabRefusal(error)) {
      return new PermanentJobError(
        `GitLab refused to comment on ${this.name}: its discussion may be locked, or the token's role on the project is too low.`,
      );
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
        const result = await this.api.list(this.target.gitlabProjectId, this.target.iid, {
          page,
          perPage: 100,
        });
        const found = result.items.find(
          (note) => !note.system && note.author?.id === this.tokenUserId && wanted(note.body),
        );
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
  async replace(
    noteId: number,
    body: string,
    wanted: (body: string) => boolean,
    { keepDeleted = false } = {},
  ): Promise<number | null> {
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
