// Control of the simulated content (labels, issues, merge requests, notes and threads) and of the changes that
// deliver webhooks. SimulatorControl (control.ts) adds the instance set-up on top.
import type {
  ActionOptions,
  IssueChanges,
  MergeRequestChanges,
  NoteInput,
  ProjectRef,
} from "./control-types";
import { discussionsOf, replyToDiscussion, startDiscussion } from "./domain/discussions";
import { createIssue as createIssueRecord, type IssuePatch, updateIssue } from "./domain/issues";
import { createLabel as createLabelRecord } from "./domain/labels";
import {
  createMergeRequest as createMergeRequestRecord,
  type MergeRequestPatch,
  mergeRequestTransition,
  updateMergeRequest,
} from "./domain/merge-requests";
import { createNote, updateNote } from "./domain/notes";
import { mergeRevert, type RevertInput, revertMergeRequest } from "./domain/reverts";
import { issueEntity } from "./entities/issues";
import { labelEntity } from "./entities/labels";
import { mergeRequestEntity } from "./entities/merge-requests";
import { discussionEntity, noteEntity } from "./entities/notes";
import { SimError, type SimStore } from "./store";
import type {
  DeliveryRecord,
  Issue,
  IssueHookAction,
  IssueType,
  MergeRequest,
  MergeRequestHookAction,
  NoteableKind,
  QuickActionRecord,
  SimEvent,
} from "./types";
import { dispatchEvents } from "./webhook-delivery";

export class ItemControl {
  constructor(readonly store: SimStore) {}

  // ------------------------------------------------------------ labels, issues, merge requests

  createLabel(projectRef: ProjectRef, input: { name: string; color?: string; description?: string | null }) {
    return labelEntity(
      this.store,
      createLabelRecord(this.store, this.store.requireProject(projectRef), input),
    );
  }

  createIssue(
    projectRef: ProjectRef,
    input: {
      title: string;
      description?: string | null;
      labels?: string[];
      assignee_ids?: number[];
      state?: "opened" | "closed";
      confidential?: boolean;
      issue_type?: IssueType;
      author_id?: number;
    },
  ) {
    const project = this.store.requireProject(projectRef);
    const { issue } = createIssueRecord(this.store, project, { ...input, author_id: input.author_id ?? 1 });
    return issueEntity(this.store, issue, { single: true });
  }

  createMergeRequest(
    projectRef: ProjectRef,
    input: {
      title: string;
      description?: string | null;
      draft?: boolean;
      state?: "opened" | "closed" | "merged" | "locked";
      source_branch?: string;
      target_branch?: string;
      labels?: string[];
      assignee_ids?: number[];
      reviewer_ids?: number[];
      author_id?: number;
    },
  ) {
    const project = this.store.requireProject(projectRef);
    const { mergeRequest } = createMergeRequestRecord(this.store, project, {
      ...input,
      author_id: input.author_id ?? 1,
    });
    return mergeRequestEntity(this.store, mergeRequest, { single: true });
  }

  getIssue(projectRef: ProjectRef, iid: number) {
    const issue = this.store.issueByIid(this.store.requireProject(projectRef).id, iid);
    return issue ? issueEntity(this.store, issue, { single: true }) : undefined;
  }

  getMergeRequest(projectRef: ProjectRef, iid: number) {
    const mr = this.store.mergeRequestByIid(this.store.requireProject(projectRef).id, iid);
    return mr ? mergeRequestEntity(this.store, mr, { single: true }) : undefined;
  }

  labels(projectRef: ProjectRef) {
    return this.store
      .projectLabels(this.store.requireProject(projectRef).id)
      .map((l) => labelEntity(this.store, l));
  }

  /** Every note on the item, system notes included, oldest first. */
  notes(projectRef: ProjectRef, kind: NoteableKind, iid: number) {
    const target = this.target(projectRef, kind, iid);
    return this.store
      .notesFor(target.type, target.record.id)
      .sort((a, b) => a.id - b.id)
      .map((n) => noteEntity(this.store, n));
  }

  quickActions(): QuickActionRecord[] {
    return [...this.store.quickActions];
  }

  // ------------------------------------------------------------ state changes that deliver webhooks

  issueAction(
    projectRef: ProjectRef,
    iid: number,
    action: IssueHookAction,
    changes: IssueChanges = {},
    opts: ActionOptions = {},
  ): Promise<DeliveryRecord[]> {
    const issue = this.issue(projectRef, iid);
    const actor = this.actor(opts, issue.authorId);
    const patch: IssuePatch = {
      title: changes.title,
      description: changes.description,
      labels: changes.labels,
      addLabels: changes.add_labels,
      removeLabels: changes.remove_labels,
      assigneeIds: changes.assignee_ids,
      confidential: changes.confidential,
      issueType: changes.issue_type,
    };
    let events: SimEvent[];
    switch (action) {
      case "open":
        // Re-announces the issue as GitLab does on creation (no mutation).
        events = [{ kind: "issue", issueId: issue.id, action: "open", actorId: actor, changes: {} }];
        break;
      case "close":
      case "reopen":
        if (action === "close" && issue.state === "closed")
          throw new SimError(`issue #${iid} is already closed`);
        if (action === "reopen" && issue.state === "opened")
          throw new SimError(`issue #${iid} is already open`);
        events = updateIssue(this.store, issue, actor, { ...patch, stateEvent: action });
        break;
      case "update":
        events = updateIssue(this.store, issue, actor, { ...patch, force: true });
        break;
    }
    return this.dispatch(events, opts);
  }

  mergeRequestAction(
    projectRef: ProjectRef,
    iid: number,
    action: MergeRequestHookAction,
    changes: MergeRequestChanges = {},
    opts: ActionOptions = {},
  ): Promise<DeliveryRecord[]> {
    const mr = this.mergeRequest(projectRef, iid);
    const actor = this.actor(opts, mr.authorId);
    const patch: MergeRequestPatch = {
      title: changes.title,
      description: changes.description,
      labels: changes.labels,
      addLabels: changes.add_labels,
      removeLabels: changes.remove_labels,
      assigneeIds: changes.assignee_ids,
      reviewerIds: changes.reviewer_ids,
      draft: changes.draft,
      targetBranch: changes.target_branch,
    };
    let events: SimEvent[];
    if (action === "update") {
      events = updateMergeRequest(this.store, mr, actor, { ...patch, force: true });
    } else if (action === "open") {
      events = [
        { kind: "merge_request", mergeRequestId: mr.id, action: "open", actorId: actor, changes: {} },
      ];
    } else {
      events = updateMergeRequest(this.store, mr, actor, patch);
      const transition = mergeRequestTransition(this.store, mr, actor, action);
      if (transition.length === 0)
        throw new SimError(`cannot ${action} merge request !${iid} in state ${mr.state}`);
      events.push(...transition);
    }
    return this.dispatch(events, opts);
  }

  /**
   * Reverts a merged merge request like GitLab's Revert button: by default a new merge request
   * `Revert "<title>"` (Merge Request Hook `open`, and `merge` too with `merge: true`); `mode: "direct"`
   * only records the revert commit on the original merge request.
   */
  async revertMergeRequest(
    projectRef: ProjectRef,
    iid: number,
    input: RevertInput = {},
    opts: ActionOptions = {},
  ) {
    const mr = this.mergeRequest(projectRef, iid);
    const actor = this.actor(opts, mr.mergeUserId ?? mr.authorId);
    const reverted = revertMergeRequest(this.store, mr, actor, input);
    // Hook payloads are built when dispatched: the open hook goes out before the merge, so it
    // shows the revert merge request `opened`, as GitLab sends it.
    const deliveries = await this.dispatch(reverted.events, opts);
    if (input.merge && reverted.mergeRequest)
      deliveries.push(...(await this.dispatch(mergeRevert(this.store, reverted.mergeRequest, actor), opts)));
    return {
      commit_sha: reverted.commitSha,
      merge_request: reverted.mergeRequest
        ? mergeRequestEntity(this.store, reverted.mergeRequest, { single: true })
        : null,
      deliveries,
    };
  }

  /** Marks a merge request draft/ready: action `update`, `changes.draft` and the `Draft: ` title prefix. */
  markDraft(
    projectRef: ProjectRef,
    iid: number,
    draft: boolean,
    opts: ActionOptions = {},
  ): Promise<DeliveryRecord[]> {
    const mr = this.mergeRequest(projectRef, iid);
    const events = updateMergeRequest(this.store, mr, this.actor(opts, mr.authorId), { draft });
    return this.dispatch(events, opts);
  }

  /** Replaces the labels of an issue or merge request (unknown labels are created), firing an `update` hook. */
  setLabels(
    projectRef: ProjectRef,
    kind: NoteableKind,
    iid: number,
    labels: string[],
    opts: ActionOptions = {},
  ): Promise<DeliveryRecord[]> {
    const target = this.target(projectRef, kind, iid);
    const actor = this.actor(opts, target.record.authorId);
    const events =
      target.type === "Issue"
        ? updateIssue(this.store, target.record, actor, { labels })
        : updateMergeRequest(this.store, target.record, actor, { labels });
    return this.dispatch(events, opts);
  }

  /** Adds a comment as a (human) user and fires the Note Hook. Quick actions are not interpreted. */
  /**
   * "User X comments T on item Y": a standalone comment, a new thread (`thread: true`) or a reply in a
   * thread (`discussion_id`, inheriting its internal flag), then the Note Hook. The author is
   * `author_id`, else the user named `author`, else `opts.userId`, else the item's author.
   */
  async addNote(
    projectRef: ProjectRef,
    kind: NoteableKind,
    iid: number,
    input: NoteInput,
    opts: ActionOptions = {},
  ) {
    const target = this.target(projectRef, kind, iid);
    const author = this.noteAuthor(input, opts, target.record.authorId);
    const created =
      input.discussion_id !== undefined
        ? replyToDiscussion(this.store, target, input.discussion_id, author, input.body)
        : input.thread
          ? startDiscussion(this.store, target, author, input.body, { internal: input.internal })
          : createNote(this.store, target, author, input.body, { internal: input.internal });
    const deliveries = await this.dispatch(created.events, opts);
    return { note: noteEntity(this.store, created.note), deliveries };
  }

  /** "User X edits note N": changes its body and fires the Note Hook with action `update`. */
  async editNote(
    projectRef: ProjectRef,
    kind: NoteableKind,
    iid: number,
    noteId: number,
    input: { body: string; author_id?: number; author?: string },
    opts: ActionOptions = {},
  ) {
    const target = this.target(projectRef, kind, iid);
    const note = this.store.notes.get(noteId);
    if (!note || note.noteableType !== target.type || note.noteableId !== target.record.id)
      throw new SimError(`unknown note ${noteId} on ${kind} ${iid}`);
    if (note.system) throw new SimError("system notes cannot be edited");
    const events = updateNote(this.store, note, this.noteAuthor(input, opts, note.authorId), input.body);
    const deliveries = await this.dispatch(events, opts);
    return { note: noteEntity(this.store, note), deliveries };
  }

  /** The item's discussions as the Discussions API returns them (internal notes included). */
  discussions(projectRef: ProjectRef, kind: NoteableKind, iid: number) {
    const target = this.target(projectRef, kind, iid);
    return discussionsOf(this.store, target).map((notes) => discussionEntity(this.store, notes));
  }

  // ------------------------------------------------------------ internals

  protected dispatch(events: SimEvent[], opts: ActionOptions): Promise<DeliveryRecord[]> {
    return dispatchEvents(this.store, events, { deliver: opts.deliver, payloadStyle: opts.payloadStyle });
  }

  protected noteAuthor(
    input: { author_id?: number; author?: string },
    opts: ActionOptions,
    fallback: number,
  ): number {
    if (input.author_id !== undefined) return this.actor({ userId: input.author_id }, fallback);
    if (input.author !== undefined) {
      const user = this.store.userByUsername(input.author);
      if (!user) throw new SimError(`unknown user ${input.author}`);
      return user.id;
    }
    return this.actor(opts, fallback);
  }

  protected actor(opts: ActionOptions, fallback: number): number {
    const id = opts.userId ?? fallback;
    this.store.requireUser(id);
    return id;
  }

  protected issue(projectRef: ProjectRef, iid: number): Issue {
    const issue = this.store.issueByIid(this.store.requireProject(projectRef).id, iid);
    if (!issue) throw new SimError(`unknown issue #${iid} in ${projectRef}`);
    return issue;
  }

  protected mergeRequest(projectRef: ProjectRef, iid: number): MergeRequest {
    const mr = this.store.mergeRequestByIid(this.store.requireProject(projectRef).id, iid);
    if (!mr) throw new SimError(`unknown merge request !${iid} in ${projectRef}`);
    return mr;
  }

  protected target(
    projectRef: ProjectRef,
    kind: NoteableKind,
    iid: number,
  ): { type: "Issue"; record: Issue } | { type: "MergeRequest"; record: MergeRequest } {
    return kind === "issue"
      ? { type: "Issue", record: this.issue(projectRef, iid) }
      : { type: "MergeRequest", record: this.mergeRequest(projectRef, iid) };
  }
}
