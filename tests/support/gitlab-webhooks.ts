import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import * as webhookRoute from "@/app/api/v1/gitlab-webhook/[projectId]/route";
import { encryptSecret } from "@/lib/crypto/secret-box";
import { prisma } from "@/lib/db/client";
import type { ExternalResourceType } from "@/lib/generated/prisma/client";
import { ensureGitLabSystemTags } from "@/lib/gitlab/links/system-tags";
import { drainPendingDeliveries } from "@/lib/gitlab/webhooks/drain-deliveries";
import { seedOrganisation, type CallResult } from "@/tests/support/api";
import { createProject } from "@/tests/support/gitlab";

// Posting GitLab webhook deliveries to the real route handler, the projects and links they act
// on, the recorded fixtures with their X-Gitlab-Event header, and payloads built for every
// GitLab generation (modern: 2020s gitlab.com; legacy: GitLab ~10 without event_type, project.id
// or draft, "… UTC" timestamps and URLs without /-/).

export const FIXTURE_DIR = path.resolve(import.meta.dirname, "../fixtures/gitlab-webhooks");
export const INSTANCE_URL = "https://gitlab.example.com";
export const SECRET = "webhook-secret-for-tests";
export const BOT = { id: 9001, username: "project_42_bot_flagpost" };

/** Every fixture file with the X-Gitlab-Event header SOURCES.md names for it. */
export function fixtureEvents(): { file: string; event: string }[] {
  const sources = fs.readFileSync(path.join(FIXTURE_DIR, "SOURCES.md"), "utf8");
  const rows = [...sources.matchAll(/^\| `([^`]+\.json)` \|[^|]*\|[^|]*\| `([^`]+)`/gm)].map((match) => ({
    file: match[1]!,
    event: match[2]!,
  }));
  return rows.sort((a, b) => (a.file < b.file ? -1 : 1));
}

export function fixtureText(file: string): string {
  return fs.readFileSync(path.join(FIXTURE_DIR, file), "utf8");
}

export function fixture(file: string): any {
  return JSON.parse(fixtureText(file));
}

export interface WebhookProject {
  organisationId: number;
  projectId: number;
  integrationId: number;
  apiKey: string;
}

export interface WebhookProjectOptions {
  taggingEnabled?: boolean;
  secret?: string;
  instanceUrl?: string;
  gitlabProject?: { id: number; path: string };
  /** The GitLab user of the integration's token (its own events are ignored). */
  tokenUser?: { id: number; username: string };
}

export async function setupWebhookProject(options: WebhookProjectOptions = {}): Promise<WebhookProject> {
  const { organisation, apiKey } = await seedOrganisation();
  const project = await createProject(organisation.id);
  const taggingEnabled = options.taggingEnabled ?? true;
  const integration = await prisma.gitLabIntegration.create({
    data: {
      projectId: project.id,
      liveProjectId: project.id,
      instanceUrl: options.instanceUrl ?? INSTANCE_URL,
      encryptedToken: encryptSecret("glpat-test"),
      encryptedWebhookSecret: encryptSecret(options.secret ?? SECRET),
      gitlabProjectId: options.gitlabProject?.id ?? 1000,
      gitlabProjectPath: options.gitlabProject?.path ?? "acme/web",
      taggingEnabled,
      tokenUserId: (options.tokenUser ?? BOT).id,
      tokenUsername: (options.tokenUser ?? BOT).username,
      tokenUserIsBot: true,
    },
  });
  if (taggingEnabled) await ensureGitLabSystemTags(prisma, project.id);
  return { organisationId: organisation.id, projectId: project.id, integrationId: integration.id, apiKey };
}

export interface LinkSpec {
  type: ExternalResourceType;
  gitlabProjectId: number;
  projectPath: string;
  iid: number;
  state?: string;
  draft?: boolean;
  gitlabUpdatedAt?: Date | null;
  title?: string;
}

export function linkItem(featureId: number, spec: LinkSpec) {
  const route = spec.type === "GITLAB_MR" ? "merge_requests" : "issues";
  return prisma.externalResource.create({
    data: {
      featureId,
      type: spec.type,
      url: `${INSTANCE_URL}/${spec.projectPath}/-/${route}/${spec.iid}`,
      gitlabProjectId: spec.gitlabProjectId,
      gitlabProjectPath: spec.projectPath,
      iid: spec.iid,
      title: spec.title ?? "linked item",
      state: spec.state ?? "opened",
      draft: spec.draft ?? false,
      gitlabUpdatedAt: spec.gitlabUpdatedAt ?? null,
    },
  });
}

export async function tagLabels(featureId: number): Promise<string[]> {
  const rows = await prisma.featureTag.findMany({ where: { featureId }, include: { tag: true } });
  return rows.map((row) => row.tag.label).sort();
}

export interface PostOptions {
  event?: string | null;
  /** null: no X-Gitlab-Token header. */
  token?: string | null;
  idempotencyKey?: string;
  webhookUuid?: string;
  headers?: Record<string, string>;
  contentType?: string;
  projectParam?: string | number;
}

export type WebhookAnswer = CallResult & { accepted?: unknown };

/**
 * What became of an accepted delivery, read from its row once the drainer has run, in the shape
 * the receiver answered with when it applied deliveries before answering: `applied` (with
 * updated_links, tag_changes, fired_rules), `ignored` (reason), `error` (reason), or `pending`
 * (held by another drainer).
 */
async function deliveryOutcome(deliveryId: string | number | bigint): Promise<any> {
  const row = await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: BigInt(deliveryId) } });
  if (row.result === "IGNORED") return { status: "ignored", reason: row.reason };
  if (row.result !== "APPLIED") return { status: row.result.toLowerCase(), reason: row.reason };
  const changes = row.changes as {
    updated_links: number;
    fired_rules?: number;
    features: { id: number; name: string; added: string[]; removed: string[] }[];
  };
  return {
    status: "applied",
    updated_links: changes.updated_links,
    ...(changes.fired_rules ? { fired_rules: changes.fired_rules } : {}),
    tag_changes: changes.features
      .filter((feature) => feature.added.length > 0 || feature.removed.length > 0)
      .map((feature) => ({
        feature: feature.id,
        feature_name: feature.name,
        added: feature.added,
        removed: feature.removed,
      })),
  };
}

/** An "accepted" answer replaced by the delivery's outcome once drained; any other answer as it was. */
async function settle(status: number, body: any): Promise<{ body: unknown; accepted?: unknown }> {
  if (status !== 200 || body?.status !== "accepted") return { body };
  await drainPendingDeliveries();
  return { body: await deliveryOutcome(body.delivery), accepted: body };
}

/**
 * POSTs a delivery (object → JSON, string or bytes as-is) through the route handler. An accepted
 * delivery is drained before this returns: `body` is then its outcome (deliveryOutcome) and
 * `accepted` the receiver's own answer.
 */
export async function postWebhook(
  projectId: number,
  body: unknown,
  options: PostOptions = {},
): Promise<WebhookAnswer> {
  const headers: Record<string, string> = {
    "content-type": options.contentType ?? "application/json",
    "user-agent": "GitLab/18.6.0",
    ...options.headers,
  };
  if (options.event !== null) headers["x-gitlab-event"] = options.event ?? "Issue Hook";
  if (options.token !== null) headers["x-gitlab-token"] = options.token ?? SECRET;
  if (options.idempotencyKey) headers["idempotency-key"] = options.idempotencyKey;
  if (options.webhookUuid) headers["x-gitlab-webhook-uuid"] = options.webhookUuid;
  const raw = typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body);
  const param = String(options.projectParam ?? projectId);
  const req = new Request(`http://localhost:3000/api/v1/gitlab-webhook/${param}/`, {
    method: "POST",
    headers,
    body: raw as BodyInit,
  });
  const res = await webhookRoute.POST(req, { params: Promise.resolve({ projectId: param }) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // Keep the text.
  }
  return { status: res.status, headers: res.headers, ...(await settle(res.status, parsed)) };
}

/** node:http → fetch Request → the webhook route handler → node:http, as Next.js would hand it over. */
function forwardToRoute(req: http.IncomingMessage, res: http.ServerResponse) {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", async () => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers))
      if (typeof value === "string") headers.set(name, value);
    const projectId = /\/api\/v1\/gitlab-webhook\/([^/]+)\/?$/.exec(req.url ?? "")?.[1] ?? "";
    const request = new Request(`http://localhost:3000${req.url}`, {
      method: req.method,
      headers,
      body: Buffer.concat(chunks),
    });
    const answer = await webhookRoute.POST(request, { params: Promise.resolve({ projectId }) });
    res.writeHead(answer.status, {
      "content-type": answer.headers.get("content-type") ?? "application/json",
    });
    // Accepted deliveries are drained and answered with their outcome, so the simulator's record
    // of each delivery says what it did.
    const text = await answer.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // Keep the text.
    }
    const settled = await settle(answer.status, parsed);
    res.end(settled.accepted ? JSON.stringify(settled.body) : text);
  });
}

/** A local HTTP server the GitLab simulator can deliver webhooks to; they reach the real route handler. */
export async function startWebhookReceiver(): Promise<{ url: string; close: () => Promise<void> }> {
  const receiver = http.createServer(forwardToRoute);
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => receiver.close(() => resolve())),
  };
}

// ---------------------------------------------------------------------------------------------
// Payload builders.

export type Style = "modern" | "legacy" | "iso-seconds";

function gitlabTime(date: Date, style: Style): string {
  const iso = date.toISOString();
  if (style === "legacy") return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
  if (style === "iso-seconds") return `${iso.slice(0, 19)}Z`;
  return iso;
}

export interface ItemPayloadOptions {
  style?: Style;
  gitlabProjectId?: number;
  projectPath?: string;
  iid: number;
  state: string;
  action?: string | null;
  updatedAt?: Date;
  title?: string;
  labels?: string[];
  user?: { id?: number; username: string };
  authorId?: number;
  /** Issues: "Issue" | "Task" | "Incident" | "Epic"… (modern only). */
  workItemType?: string;
  /** Merge requests. */
  draft?: boolean;
}

function person(user: { id?: number; username: string }, style: Style) {
  const base = {
    name: user.username.toUpperCase(),
    username: user.username,
    avatar_url: `https://www.gravatar.com/avatar/${user.username}`,
  };
  return style === "legacy" ? base : { id: user.id ?? 1, ...base, email: "[REDACTED]" };
}

function projectBlock(options: ItemPayloadOptions) {
  const projectPath = options.projectPath ?? "acme/web";
  const block: Record<string, unknown> = {
    id: options.gitlabProjectId ?? 1000,
    name: projectPath.split("/").pop(),
    web_url: `${INSTANCE_URL}/${projectPath}`,
    path_with_namespace: projectPath,
    default_branch: "main",
  };
  if (options.style === "legacy") delete block.id;
  return block;
}

function labelObjects(names: string[], style: Style) {
  return names.map((title, index) => ({
    id: 100 + index,
    title,
    color: "#428bca",
    type: "ProjectLabel",
    created_at: gitlabTime(new Date(0), style),
  }));
}

export function issuePayload(options: ItemPayloadOptions) {
  const style = options.style ?? "modern";
  const projectPath = options.projectPath ?? "acme/web";
  const workItem =
    style !== "legacy" &&
    options.workItemType &&
    options.workItemType !== "Issue" &&
    options.workItemType !== "Incident";
  const updatedAt = options.updatedAt ?? new Date();
  const attrs: Record<string, unknown> = {
    id: 50_000 + options.iid,
    iid: options.iid,
    title: options.title ?? `Issue ${options.iid}`,
    project_id: options.gitlabProjectId ?? 1000,
    author_id: options.authorId ?? 7,
    assignee_ids: [],
    state: options.state,
    created_at: gitlabTime(new Date(Date.UTC(2020, 0, 1)), style),
    updated_at: gitlabTime(updatedAt, style),
    closed_at: options.state === "closed" ? gitlabTime(updatedAt, style) : null,
    url: `${INSTANCE_URL}/${projectPath}${style === "legacy" ? "" : "/-"}/${workItem ? "work_items" : "issues"}/${options.iid}`,
    ...(options.action === null ? {} : { action: options.action ?? "update" }),
  };
  if (style !== "legacy") {
    attrs.state_id = options.state === "closed" ? 2 : 1;
    attrs.type = options.workItemType ?? "Issue";
    attrs.labels = labelObjects(options.labels ?? [], style);
  }
  const kind = workItem ? "work_item" : "issue";
  return {
    object_kind: kind,
    ...(style === "legacy" ? {} : { event_type: kind }),
    user: person(options.user ?? { id: 7, username: "alice" }, style),
    project: projectBlock({ ...options, style }),
    object_attributes: attrs,
    labels: labelObjects(options.labels ?? [], style),
    changes: {},
    repository: { name: "web" },
  };
}

export function mergeRequestPayload(options: ItemPayloadOptions) {
  const style = options.style ?? "modern";
  const projectPath = options.projectPath ?? "acme/web";
  const draft = options.draft ?? false;
  const title = options.title ?? `${draft ? "Draft: " : ""}MR ${options.iid}`;
  const stateIds: Record<string, number> = { opened: 1, closed: 2, merged: 3, locked: 4 };
  const attrs: Record<string, unknown> = {
    id: 60_000 + options.iid,
    iid: options.iid,
    title,
    author_id: options.authorId ?? 7,
    source_project_id: options.gitlabProjectId ?? 1000,
    target_project_id: options.gitlabProjectId ?? 1000,
    source_branch: `feature/${options.iid}`,
    target_branch: "main",
    state: options.state,
    created_at: gitlabTime(new Date(Date.UTC(2020, 0, 1)), style),
    updated_at: gitlabTime(options.updatedAt ?? new Date(), style),
    url: `${INSTANCE_URL}/${projectPath}${style === "legacy" ? "" : "/-"}/merge_requests/${options.iid}`,
    work_in_progress: draft,
    ...(options.action === null ? {} : { action: options.action ?? "update" }),
  };
  if (style !== "legacy") {
    attrs.draft = draft;
    attrs.state_id = stateIds[options.state] ?? 1;
    attrs.labels = labelObjects(options.labels ?? [], style);
    attrs.detailed_merge_status = draft ? "draft_status" : "mergeable";
  }
  return {
    object_kind: "merge_request",
    ...(style === "legacy" ? {} : { event_type: "merge_request" }),
    user: person(options.user ?? { id: 7, username: "alice" }, style),
    project: projectBlock({ ...options, style }),
    object_attributes: attrs,
    labels: labelObjects(options.labels ?? [], style),
    changes: {},
    repository: { name: "web" },
  };
}

/** Everything an invalid delivery must not change: links, tag assignments, tags, audit rows. */
export async function projectSnapshot(projectId: number): Promise<string> {
  const [links, featureTags, tags, audits] = await Promise.all([
    prisma.externalResource.findMany({ where: { feature: { projectId } }, orderBy: { id: "asc" } }),
    prisma.featureTag.findMany({
      where: { feature: { projectId } },
      orderBy: [{ featureId: "asc" }, { tagId: "asc" }],
    }),
    prisma.tag.findMany({ where: { projectId }, orderBy: { id: "asc" } }),
    prisma.auditLog.count({ where: { projectId } }),
  ]);
  return JSON.stringify({ links, featureTags, tags, audits });
}
