// Programmatic control of the simulator (the same operations are exposed over HTTP under /_sim).
import {
  createIssue as createIssueRecord,
  createLabel as createLabelRecord,
  createMergeRequest as createMergeRequestRecord,
  createNote,
  type IssuePatch,
  type MergeRequestPatch,
  mergeRequestTransition,
  updateIssue,
  updateMergeRequest,
} from "./domain";
import { hookEntity, issueEntity, labelEntity, mergeRequestEntity, noteEntity } from "./entities";
import { addFault, setLatency as setLatencyRule } from "./faults";
import { createHook } from "./routes/hooks";
import { seedDemo as runSeed, type DemoSeed } from "./seed";
import { SimError, type SimStore } from "./store";
import type {
  DeliveryRecord,
  FaultSpec,
  Issue,
  IssueHookAction,
  IssueType,
  MergeRequest,
  MergeRequestHookAction,
  NoteableKind,
  PayloadStyle,
  QuickActionRecord,
  RequestLogEntry,
  SimEvent,
  Visibility,
} from "./types";
import { todayDate } from "./util";
import { type DeliverMode, dispatchEvents, resendDelivery } from "./webhook-delivery";

export type ProjectRef = number | string;

export interface ActionOptions {
  /** `sync` (default): wait for deliveries and return them. `async`: return `[]` at once. */
  deliver?: DeliverMode;
  payloadStyle?: PayloadStyle;
  /** Who performs the change (webhook `user`); defaults to the item's author. */
  userId?: number;
}

export interface IssueChanges {
  title?: string;
  description?: string | null;
  labels?: string[];
  add_labels?: string[];
  remove_labels?: string[];
  assignee_ids?: number[];
  confidential?: boolean;
  issue_type?: IssueType;
}

export interface MergeRequestChanges {
  title?: string;
  description?: string | null;
  labels?: string[];
  add_labels?: string[];
  remove_labels?: string[];
  assignee_ids?: number[];
  reviewer_ids?: number[];
  draft?: boolean;
  target_branch?: string;
}

export interface HookInput {
  url: string;
  token?: string;
  name?: string;
  issues_events?: boolean;
  confidential_issues_events?: boolean;
  merge_requests_events?: boolean;
  note_events?: boolean;
  confidential_note_events?: boolean;
  push_events?: boolean;
  enable_ssl_verification?: boolean;
}

export interface TokenInput {
  value?: string;
  name: string;
  description?: string | null;
  scopes: string[];
  expires_at?: string | null;
  userId?: number;
  revoked?: boolean;
  projects?: { id: ProjectRef; access_level: number }[];
  groups?: { id: number | string; access_level: number }[];
}

export interface TokenInfo {
  id: number;
  value: string;
  name: string;
  scopes: string[];
  expires_at: string | null;
  revoked: boolean;
  user_id: number;
  username: string;
  bot: boolean;
}

export interface DeliveryFilter {
  hookId?: number;
  projectId?: number;
  event?: string;
  objectKind?: string;
  action?: string;
}

export class SimulatorControl {
  constructor(readonly store: SimStore) {}

  // ------------------------------------------------------------ lifecycle

  reset(): void {
    this.store.reset();
  }

  seedDemo(): DemoSeed {
    return runSeed(this);
  }

  /** Waits for every in-flight webhook delivery (async actions and API-triggered hooks). */
  settle(): Promise<void> {
    return this.store.settle();
  }

  setVersion(version: string): void {
    if (!/^\d+\.\d+\.\d+/.test(version)) throw new SimError("version must look like 18.6.0");
    this.store.version = version;
  }

  setPayloadStyle(style: PayloadStyle): void {
    this.store.payloadStyle = style;
  }

  setWebhookTimeout(ms: number): void {
    this.store.webhookTimeoutMs = ms;
  }

  // ------------------------------------------------------------ users, groups, projects, tokens

  createUser(input: { username: string; name?: string; bot?: boolean; email?: string; admin?: boolean }): number {
    return this.store.createUser(input).id;
  }

  getUser(ref: number | string) {
    const u = typeof ref === "number" ? this.store.users.get(ref) : this.store.userByUsername(ref);
    return u ? { id: u.id, username: u.username, name: u.name, bot: u.bot, email: u.email } : undefined;
  }

  createGroup(input: { path: string; name?: string; visibility?: Visibility }): number {
    return this.store.ensureNamespace(input.path, { name: input.name, visibility: input.visibility }).id;
  }

  createProject(input: {
    path_with_namespace: string;
    name?: string;
    description?: string | null;
    visibility?: Visibility;
    issues_enabled?: boolean;
    merge_requests_enabled?: boolean;
    archived?: boolean;
    default_branch?: string;
    topics?: string[];
  }): number {
    return this.store.createProject(input).id;
  }

  addMember(projectRef: ProjectRef, userId: number, accessLevel: number): void {
    this.store.addMember("Project", this.store.requireProject(projectRef).id, userId, accessLevel);
  }

  addGroupMember(groupRef: number | string, userId: number, accessLevel: number): void {
    this.store.addMember("Namespace", this.store.requireGroup(groupRef).id, userId, accessLevel);
  }

  createToken(input: TokenInput): TokenInfo {
    const token = this.store.createToken(input);
    return this.tokenInfo(token.value);
  }

  tokenInfo(value: string): TokenInfo {
    const t = this.store.tokens.get(value);
    if (!t) throw new SimError("unknown token");
    const u = this.store.requireUser(t.userId);
    return {
      id: t.id,
      value: t.value,
      name: t.name,
      scopes: [...t.scopes],
      expires_at: t.expiresAt,
      revoked: t.revoked,
      user_id: u.id,
      username: u.username,
      bot: u.bot,
    };
  }

  revokeToken(value: string): void {
    const t = this.store.tokens.get(value);
    if (!t) throw new SimError("unknown token");
    t.revoked = true;
  }

  expireToken(value: string): void {
    const t = this.store.tokens.get(value);
    if (!t) throw new SimError("unknown token");
    t.expiresAt = todayDate(-1);
  }

  // ------------------------------------------------------------ labels, issues, merge requests

  createLabel(projectRef: ProjectRef, input: { name: string; color?: string; description?: string | null }) {
    return labelEntity(this.store, createLabelRecord(this.store, this.store.requireProject(projectRef), input));
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
    const { mergeRequest } = createMergeRequestRecord(this.store, project, { ...input, author_id: input.author_id ?? 1 });
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
    return this.store.projectLabels(this.store.requireProject(projectRef).id).map((l) => labelEntity(this.store, l));
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
        if (action === "close" && issue.state === "closed") throw new SimError(`issue #${iid} is already closed`);
        if (action === "reopen" && issue.state === "opened") throw new SimError(`issue #${iid} is already open`);
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
      events = [{ kind: "merge_request", mergeRequestId: mr.id, action: "open", actorId: actor, changes: {} }];
    } else {
      events = updateMergeRequest(this.store, mr, actor, patch);
      const transition = mergeRequestTransition(this.store, mr, actor, action);
      if (transition.length === 0) throw new SimError(`cannot ${action} merge request !${iid} in state ${mr.state}`);
      events.push(...transition);
    }
    return this.dispatch(events, opts);
  }

  /** Marks a merge request draft/ready: action `update`, `changes.draft` and the `Draft: ` title prefix. */
  markDraft(projectRef: ProjectRef, iid: number, draft: boolean, opts: ActionOptions = {}): Promise<DeliveryRecord[]> {
    const mr = this.mergeRequest(projectRef, iid);
    const events = updateMergeRequest(this.store, mr, this.actor(opts, mr.authorId), { draft });
    return this.dispatch(events, opts);
  }

  /** Replaces the labels of an issue or merge request (unknown labels are created), firing an `update` hook. */
  setLabels(projectRef: ProjectRef, kind: NoteableKind, iid: number, labels: string[], opts: ActionOptions = {}): Promise<DeliveryRecord[]> {
    const target = this.target(projectRef, kind, iid);
    const actor = this.actor(opts, target.record.authorId);
    const events =
      target.type === "Issue"
        ? updateIssue(this.store, target.record, actor, { labels })
        : updateMergeRequest(this.store, target.record, actor, { labels });
    return this.dispatch(events, opts);
  }

  /** Adds a comment as a (human) user and fires the Note Hook. Quick actions are not interpreted. */
  async addNote(
    projectRef: ProjectRef,
    kind: NoteableKind,
    iid: number,
    input: { body: string; author_id?: number; internal?: boolean },
    opts: ActionOptions = {},
  ) {
    const target = this.target(projectRef, kind, iid);
    const author = input.author_id ?? opts.userId ?? target.record.authorId;
    const { note, events } = createNote(this.store, target, author, input.body, { internal: input.internal });
    const deliveries = await this.dispatch(events, opts);
    return { note: noteEntity(this.store, note), deliveries };
  }

  // ------------------------------------------------------------ hooks and deliveries

  registerHook(projectRef: ProjectRef, input: HookInput) {
    const hook = createHook(this.store, this.store.requireProject(projectRef), { ...input });
    return { ...hookEntity(hook), token: hook.token };
  }

  hooks(projectRef: ProjectRef) {
    return this.store.projectHooks(this.store.requireProject(projectRef).id).map((h) => ({ ...hookEntity(h), token: h.token }));
  }

  deliveries(filter: DeliveryFilter = {}): DeliveryRecord[] {
    return this.store.deliveries.filter(
      (d) =>
        (filter.hookId === undefined || d.hookId === filter.hookId) &&
        (filter.projectId === undefined || d.projectId === filter.projectId) &&
        (filter.event === undefined || d.event === filter.event) &&
        (filter.objectKind === undefined || d.objectKind === filter.objectKind) &&
        (filter.action === undefined || d.action === filter.action),
    );
  }

  clearDeliveries(): void {
    this.store.deliveries = [];
  }

  resendDelivery(deliveryId: number): Promise<DeliveryRecord> {
    return resendDelivery(this.store, deliveryId);
  }

  // ------------------------------------------------------------ faults, latency, request log

  injectFault(spec: FaultSpec): number {
    return addFault(this.store, spec).id;
  }

  setLatency(ms: number, pathPattern?: string): void {
    setLatencyRule(this.store, ms, pathPattern);
  }

  clearFaults(): void {
    this.store.faults = [];
    this.store.latency = [];
  }

  requests(): RequestLogEntry[] {
    return [...this.store.requestLog];
  }

  clearRequests(): void {
    this.store.requestLog = [];
  }

  // ------------------------------------------------------------ internals

  private dispatch(events: SimEvent[], opts: ActionOptions): Promise<DeliveryRecord[]> {
    return dispatchEvents(this.store, events, { deliver: opts.deliver, payloadStyle: opts.payloadStyle });
  }

  private actor(opts: ActionOptions, fallback: number): number {
    const id = opts.userId ?? fallback;
    this.store.requireUser(id);
    return id;
  }

  private issue(projectRef: ProjectRef, iid: number): Issue {
    const issue = this.store.issueByIid(this.store.requireProject(projectRef).id, iid);
    if (!issue) throw new SimError(`unknown issue #${iid} in ${projectRef}`);
    return issue;
  }

  private mergeRequest(projectRef: ProjectRef, iid: number): MergeRequest {
    const mr = this.store.mergeRequestByIid(this.store.requireProject(projectRef).id, iid);
    if (!mr) throw new SimError(`unknown merge request !${iid} in ${projectRef}`);
    return mr;
  }

  private target(projectRef: ProjectRef, kind: NoteableKind, iid: number): { type: "Issue"; record: Issue } | { type: "MergeRequest"; record: MergeRequest } {
    return kind === "issue"
      ? { type: "Issue", record: this.issue(projectRef, iid) }
      : { type: "MergeRequest", record: this.mergeRequest(projectRef, iid) };
  }
}
