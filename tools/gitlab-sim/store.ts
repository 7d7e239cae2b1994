// In-memory state of the simulated GitLab instance: records, id sequences, lookups, logs.
// Permissions live in permissions.ts, tokens in tokens.ts.
import type {
  DeliveryRecord,
  Fault,
  Hook,
  Issue,
  Label,
  LatencyRule,
  Membership,
  MergeRequest,
  Namespace,
  Note,
  PayloadStyle,
  Project,
  QuickActionRecord,
  RequestLogEntry,
  Token,
  User,
  Visibility,
} from "./types";
import { nowIso } from "./util";

export class SimError extends Error {}

export interface StoreConfig {
  /** Instance URL including the relative root, e.g. `http://127.0.0.1:4010/gitlab`. */
  instanceUrl: string;
}

const SEQ_START = {
  user: 100,
  namespace: 10,
  project: 1000,
  issue: 5000,
  mergeRequest: 8000,
  note: 20000,
  label: 300,
  hook: 1,
  token: 1,
  delivery: 1,
  request: 1,
  fault: 1,
} as const;
type SeqName = keyof typeof SEQ_START;

export class SimStore {
  instanceUrl: string;
  version = "18.6.0";
  payloadStyle: PayloadStyle = "modern";
  webhookTimeoutMs = 10_000;

  users = new Map<number, User>();
  namespaces = new Map<number, Namespace>();
  memberships: Membership[] = [];
  projects = new Map<number, Project>();
  labels = new Map<number, Label>();
  issues = new Map<number, Issue>();
  mergeRequests = new Map<number, MergeRequest>();
  notes = new Map<number, Note>();
  hooks = new Map<number, Hook>();
  tokens = new Map<string, Token>();

  requestLog: RequestLogEntry[] = [];
  deliveries: DeliveryRecord[] = [];
  quickActions: QuickActionRecord[] = [];
  faults: Fault[] = [];
  latency: LatencyRule[] = [];
  /** Recursion-detection chains: X-Gitlab-Event-UUID → hook ids already fired in that chain. */
  hookChains = new Map<string, Set<number>>();
  /** Deliveries still in flight (async mode and API-triggered hooks). */
  pending = new Set<Promise<unknown>>();

  private seqs = new Map<SeqName, number>();
  private issueIids = new Map<number, number>();
  private mrIids = new Map<number, number>();

  constructor(config: StoreConfig) {
    this.instanceUrl = config.instanceUrl.replace(/\/+$/, "");
    this.reset();
  }

  /** Scheme + host (+ port), without the relative root: what GitLab sends as `X-Gitlab-Instance`. */
  get origin(): string {
    return new URL(this.instanceUrl).origin;
  }
  get host(): string {
    return new URL(this.instanceUrl).hostname;
  }

  reset(): void {
    this.users.clear();
    this.namespaces.clear();
    this.memberships = [];
    this.projects.clear();
    this.labels.clear();
    this.issues.clear();
    this.mergeRequests.clear();
    this.notes.clear();
    this.hooks.clear();
    this.tokens.clear();
    this.requestLog = [];
    this.deliveries = [];
    this.quickActions = [];
    this.faults = [];
    this.latency = [];
    this.hookChains.clear();
    this.seqs.clear();
    this.issueIids.clear();
    this.mrIids.clear();
    this.payloadStyle = "modern";
    this.version = "18.6.0";
    this.webhookTimeoutMs = 10_000;
    // Every GitLab instance has the administrator account with id 1.
    this.users.set(1, {
      id: 1,
      username: "root",
      name: "Administrator",
      bot: false,
      isAdmin: true,
      state: "active",
      email: "admin@example.com",
      publicEmail: null,
      createdAt: nowIso(),
    });
  }

  nextId(name: SeqName): number {
    const next = this.seqs.get(name) ?? SEQ_START[name];
    this.seqs.set(name, next + 1);
    return next;
  }

  nextIssueIid(projectId: number): number {
    const n = (this.issueIids.get(projectId) ?? 0) + 1;
    this.issueIids.set(projectId, n);
    return n;
  }

  nextMergeRequestIid(projectId: number): number {
    const n = (this.mrIids.get(projectId) ?? 0) + 1;
    this.mrIids.set(projectId, n);
    return n;
  }

  // ---------------------------------------------------------------- users and namespaces

  createUser(input: {
    username: string;
    name?: string;
    bot?: boolean;
    email?: string;
    admin?: boolean;
  }): User {
    if (!/^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/.test(input.username)) {
      throw new SimError(`invalid username: ${input.username}`);
    }
    if (this.userByUsername(input.username)) throw new SimError(`username taken: ${input.username}`);
    const user: User = {
      id: this.nextId("user"),
      username: input.username,
      name: input.name ?? input.username,
      bot: input.bot ?? false,
      isAdmin: input.admin ?? false,
      state: "active",
      email: input.email ?? `${input.username}@example.com`,
      publicEmail: null,
      createdAt: nowIso(),
    };
    this.users.set(user.id, user);
    return user;
  }

  user(id: number): User | undefined {
    return this.users.get(id);
  }

  requireUser(id: number): User {
    const u = this.users.get(id);
    if (!u) throw new SimError(`unknown user ${id}`);
    return u;
  }

  userByUsername(username: string): User | undefined {
    const lower = username.toLowerCase();
    for (const u of this.users.values()) if (u.username.toLowerCase() === lower) return u;
    return undefined;
  }

  namespaceByFullPath(fullPath: string): Namespace | undefined {
    const lower = fullPath.toLowerCase();
    for (const n of this.namespaces.values()) if (n.fullPath.toLowerCase() === lower) return n;
    return undefined;
  }

  /** Creates (or returns) the namespace for `fullPath`, creating parent groups as needed. */
  ensureNamespace(fullPath: string, opts: { name?: string; visibility?: Visibility } = {}): Namespace {
    const existing = this.namespaceByFullPath(fullPath);
    if (existing) {
      if (opts.name) existing.name = opts.name;
      if (opts.visibility) existing.visibility = opts.visibility;
      return existing;
    }
    const segments = fullPath.split("/").filter(Boolean);
    if (segments.length === 0) throw new SimError("empty namespace path");
    for (const s of segments) {
      if (!/^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/.test(s)) throw new SimError(`invalid path segment: ${s}`);
    }
    const path = segments[segments.length - 1] as string;
    let parentId: number | null = null;
    if (segments.length > 1) {
      parentId = this.ensureNamespace(segments.slice(0, -1).join("/")).id;
    }
    const owner = segments.length === 1 ? this.userByUsername(path) : undefined;
    const ns: Namespace = {
      id: this.nextId("namespace"),
      name: opts.name ?? (owner ? owner.name : path),
      path,
      fullPath: segments.join("/"),
      kind: owner ? "user" : "group",
      parentId,
      visibility: opts.visibility ?? "private",
      createdAt: nowIso(),
    };
    this.namespaces.set(ns.id, ns);
    return ns;
  }

  /** The namespace and all its ancestors, nearest first. */
  namespaceChain(namespaceId: number): Namespace[] {
    const chain: Namespace[] = [];
    let current = this.namespaces.get(namespaceId);
    while (current) {
      chain.push(current);
      current = current.parentId === null ? undefined : this.namespaces.get(current.parentId);
    }
    return chain;
  }

  // ---------------------------------------------------------------- projects

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
    creator_id?: number;
  }): Project {
    const segments = input.path_with_namespace.split("/").filter(Boolean);
    if (segments.length < 2) throw new SimError("path_with_namespace needs a namespace and a project path");
    if (this.findProject(segments.join("/")))
      throw new SimError(`project exists: ${input.path_with_namespace}`);
    const path = segments[segments.length - 1] as string;
    if (!/^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/.test(path)) throw new SimError(`invalid project path: ${path}`);
    const ns = this.ensureNamespace(segments.slice(0, -1).join("/"));
    const now = nowIso();
    const project: Project = {
      id: this.nextId("project"),
      name: input.name ?? path,
      path,
      description: input.description ?? null,
      namespaceId: ns.id,
      visibility: input.visibility ?? "private",
      issuesEnabled: input.issues_enabled ?? true,
      mergeRequestsEnabled: input.merge_requests_enabled ?? true,
      archived: input.archived ?? false,
      createdAt: now,
      lastActivityAt: now,
      defaultBranch: input.default_branch ?? "main",
      topics: input.topics ?? [],
      creatorId: input.creator_id ?? 1,
      starCount: 0,
    };
    this.projects.set(project.id, project);
    return project;
  }

  project(id: number): Project | undefined {
    return this.projects.get(id);
  }

  /** Finds a project by numeric id or full path (case-insensitive), as `:id` in the API does. */
  findProject(ref: number | string): Project | undefined {
    if (typeof ref === "number" || /^\d+$/.test(ref)) return this.projects.get(Number(ref));
    const lower = ref.toLowerCase();
    for (const p of this.projects.values()) if (this.projectFullPath(p).toLowerCase() === lower) return p;
    return undefined;
  }

  requireProject(ref: number | string): Project {
    const p = this.findProject(ref);
    if (!p) throw new SimError(`unknown project ${ref}`);
    return p;
  }

  projectNamespace(p: Project): Namespace {
    const ns = this.namespaces.get(p.namespaceId);
    if (!ns) throw new SimError(`project ${p.id} has no namespace`);
    return ns;
  }

  projectFullPath(p: Project): string {
    return `${this.projectNamespace(p).fullPath}/${p.path}`;
  }

  projectNameWithNamespace(p: Project): string {
    const names = this.namespaceChain(p.namespaceId)
      .reverse()
      .map((n) => n.name);
    return [...names, p.name].join(" / ");
  }

  projectWebUrl(p: Project): string {
    return `${this.instanceUrl}/${this.projectFullPath(p)}`;
  }

  requireGroup(ref: number | string): Namespace {
    const ns =
      typeof ref === "number" || /^\d+$/.test(ref)
        ? this.namespaces.get(Number(ref))
        : this.namespaceByFullPath(ref);
    if (!ns || ns.kind !== "group") throw new SimError(`unknown group ${ref}`);
    return ns;
  }

  // ---------------------------------------------------------------- issues, merge requests, labels, notes

  issueByIid(projectId: number, iid: number): Issue | undefined {
    for (const i of this.issues.values()) if (i.projectId === projectId && i.iid === iid) return i;
    return undefined;
  }

  mergeRequestByIid(projectId: number, iid: number): MergeRequest | undefined {
    for (const m of this.mergeRequests.values()) if (m.projectId === projectId && m.iid === iid) return m;
    return undefined;
  }

  projectLabels(projectId: number): Label[] {
    return [...this.labels.values()]
      .filter((l) => l.projectId === projectId)
      .sort((a, b) => a.title.localeCompare(b.title));
  }

  labelByTitle(projectId: number, title: string): Label | undefined {
    for (const l of this.labels.values()) if (l.projectId === projectId && l.title === title) return l;
    return undefined;
  }

  labelsByIds(ids: number[]): Label[] {
    return ids.map((id) => this.labels.get(id)).filter((l): l is Label => l !== undefined);
  }

  notesFor(noteableType: "Issue" | "MergeRequest", noteableId: number): Note[] {
    return [...this.notes.values()].filter(
      (n) => n.noteableType === noteableType && n.noteableId === noteableId,
    );
  }

  userNotesCount(noteableType: "Issue" | "MergeRequest", noteableId: number): number {
    return this.notesFor(noteableType, noteableId).filter((n) => !n.system).length;
  }

  projectHooks(projectId: number): Hook[] {
    return [...this.hooks.values()].filter((h) => h.projectId === projectId);
  }

  track<T>(promise: Promise<T>): Promise<T> {
    this.pending.add(promise);
    const done = () => this.pending.delete(promise);
    promise.then(done, done);
    return promise;
  }

  /** Waits until every in-flight webhook delivery has finished. */
  async settle(): Promise<void> {
    while (this.pending.size > 0) {
      await Promise.allSettled([...this.pending]);
    }
  }
}
