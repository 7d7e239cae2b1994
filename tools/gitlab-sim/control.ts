// Programmatic control of the simulator (the same operations are exposed over HTTP under /_sim).
import { ItemControl } from "./control-items";
import type { DeliveryFilter, HookInput, ProjectRef, TokenInfo, TokenInput } from "./control-types";
import { hookEntity } from "./entities/hooks";
import { addFault, describeFaults, removeFault, setLatency as setLatencyRule } from "./faults";
import { addMember, removeMember } from "./permissions";
import { createHook } from "./routes/hooks";
import { seedDemo as runSeed, type DemoSeed } from "./seed";
import { SimError } from "./store";
import { createToken } from "./tokens";
import type { DeliveryRecord, FaultSpec, PayloadStyle, RequestLogEntry, Visibility } from "./types";
import { todayDate } from "./util";
import { resendDelivery } from "./webhook-delivery";

/** The whole control API: content and webhooks (ItemControl) plus instance set-up, hooks, faults, logs. */
export class SimulatorControl extends ItemControl {
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

  createUser(input: {
    username: string;
    name?: string;
    bot?: boolean;
    email?: string;
    admin?: boolean;
  }): number {
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
    addMember(this.store, "Project", this.store.requireProject(projectRef).id, userId, accessLevel);
  }

  addGroupMember(groupRef: number | string, userId: number, accessLevel: number): void {
    addMember(this.store, "Namespace", this.store.requireGroup(groupRef).id, userId, accessLevel);
  }

  /** Removes a direct project membership (inherited group roles stay). */
  removeMember(projectRef: ProjectRef, userId: number): void {
    removeMember(this.store, "Project", this.store.requireProject(projectRef).id, userId);
  }

  removeGroupMember(groupRef: number | string, userId: number): void {
    removeMember(this.store, "Namespace", this.store.requireGroup(groupRef).id, userId);
  }

  createToken(input: TokenInput): TokenInfo {
    const token = createToken(this.store, input);
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

  // ------------------------------------------------------------ hooks and deliveries

  registerHook(projectRef: ProjectRef, input: HookInput) {
    const hook = createHook(this.store, this.store.requireProject(projectRef), { ...input });
    return { ...hookEntity(hook), token: hook.token };
  }

  hooks(projectRef: ProjectRef) {
    return this.store
      .projectHooks(this.store.requireProject(projectRef).id)
      .map((h) => ({ ...hookEntity(h), token: h.token }));
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

  /** Ends one fault (e.g. an outage injected with `count: -1`) and keeps the others. */
  removeFault(id: number): void {
    removeFault(this.store, id);
  }

  faults() {
    return describeFaults(this.store);
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
}
