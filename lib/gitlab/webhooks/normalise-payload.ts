import "server-only";
import { z } from "zod";
import type { ExternalResourceType } from "@/lib/generated/prisma/client";
import { ItemReferenceError, parseItemReference, shortReference } from "@/lib/gitlab/links/item-reference";

// Turns a GitLab webhook body of any generation (GitLab 10 to 19) into the few facts Flagpost
// needs about one issue or merge request. Every field we read is typed by a schema; everything else
// in the body is ignored, however large or strange. Payload generations differ in: `event_type`
// (absent before ~11), `project.id` (absent in very old bodies), `draft` (only `work_in_progress`
// before 13.x), three timestamp formats, URLs with or without `/-/`, and `work_item` bodies for
// tasks (object_kind `work_item`, `/-/work_items/N` URLs), which are issues to GitLab's API.

interface WebhookPerson {
  id: number | null;
  username: string;
  name: string | null;
  avatar_url: string | null;
}

export interface WebhookItem {
  type: ExternalResourceType;
  /** GitLab's numeric project id; null when the body does not say (then `projectPath` must). */
  gitlabProjectId: number | null;
  projectPath: string | null;
  iid: number;
  /** "group/project#12", "group/project!34". */
  ref: string;
  state: "opened" | "closed" | "merged";
  draft: boolean;
  /** Fields left undefined are not in the body: the stored value is kept. */
  title?: string;
  labels?: string[];
  assignees?: WebhookPerson[];
  author?: WebhookPerson;
  updatedAt: Date | null;
  /** Whether `updatedAt` had sub-second digits (older GitLab sends whole seconds). */
  updatedAtHasMillis: boolean;
  /** When the item was closed or merged, if the body says. */
  closedAt: Date | null;
  /**
   * A merged merge request made by GitLab's Revert button ("This reverts merge request !N" in its
   * description): the iid of the merge request it reverts, in the same project. Null otherwise.
   */
  revertsIid?: number | null;
}

interface DeliveryFacts {
  event: string | null;
  objectKind: string | null;
  action: string | null;
  itemRef: string | null;
}

export type NormalisedDelivery =
  | (DeliveryFacts & { outcome: "ignored"; reason: string })
  | (DeliveryFacts & { outcome: "invalid"; reason: string })
  | (DeliveryFacts & {
      outcome: "item";
      item: WebhookItem;
      actor: { id: number | null; username: string | null };
      /** Keys of the body's `changes` (what this event changed); null when the body has none (old GitLab). */
      changedFields: string[] | null;
    });

const ISSUE_EVENTS = new Set(["Issue Hook", "Confidential Issue Hook"]);
const MR_EVENT = "Merge Request Hook";
/** Work item types that live on a project and can be linked like issues. */
const LINKABLE_WORK_ITEM_TYPES = new Set(["issue", "task", "incident"]);

// ---------------------------------------------------------------------------------------------
// Timestamps: "2013-12-03T17:15:43Z", "2018-09-15 19:05:12 UTC", "2026-05-28T06:17:50.385Z" (and
// numeric offsets such as "-08:00"). No zone means UTC, as GitLab stores times.

const GITLAB_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i;

export interface GitLabTime {
  date: Date;
  hasMillis: boolean;
}

export function parseGitLabTime(text: string): GitLabTime | null {
  const match = GITLAB_TIME.exec(text.trim());
  if (!match) return null;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const parts = [year, month, day, hour, minute, second].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const millis = fraction ? Number(fraction.slice(0, 3).padEnd(3, "0")) : 0;
  const utc = Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5], millis);
  const check = new Date(utc);
  // Date.UTC rolls "02-30" over into March; a real timestamp round-trips.
  if (
    check.getUTCMonth() !== parts[1] - 1 ||
    check.getUTCDate() !== parts[2] ||
    parts[3] > 23 ||
    parts[4] > 59 ||
    parts[5] > 59
  )
    return null;
  let offsetMinutes = 0;
  if (zone && /^[+-]/.test(zone)) {
    const digits = zone.replace(":", "");
    offsetMinutes =
      (zone.startsWith("-") ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  }
  return { date: new Date(utc - offsetMinutes * 60_000), hasMillis: Boolean(fraction) };
}

// ---------------------------------------------------------------------------------------------
// Schemas of the parts we read. Unknown keys are dropped (not walked), so huge or deeply nested
// values elsewhere in the body cost nothing. Limits are far above what GitLab sends.

const gitlabId = z.number().int().min(1).max(2_147_483_647);
const text = (max: number) => z.string().max(max);
const timestamp = text(64).nullish();

const person = z.object({
  id: z.number().int().nullish(),
  username: text(255).nullish(),
  name: text(255).nullish(),
  avatar_url: text(2048).nullish(),
});

const label = z.union([text(255), z.object({ title: text(255) })]);
const labels = z.array(label).max(1000).nullish();

const attributesSchema = z.object({
  iid: gitlabId,
  title: text(1024).nullish(),
  state: text(32).nullish(),
  state_id: z.number().int().nullish(),
  action: text(64).nullish(),
  draft: z.boolean().nullish(),
  work_in_progress: z.boolean().nullish(),
  type: text(64).nullish(),
  project_id: gitlabId.nullish(),
  target_project_id: gitlabId.nullish(),
  url: text(2048).nullish(),
  updated_at: timestamp,
  closed_at: timestamp,
  merged_at: timestamp,
  author_id: z.number().int().nullish(),
  assignee_ids: z.array(z.number().int()).max(1000).nullish(),
  labels,
  // Read only for GitLab's revert marker; any type or size is tolerated (never stored).
  description: z.unknown().optional(),
});

const payloadSchema = z.object({
  object_kind: text(64),
  user: person.nullish(),
  project: z.object({ id: gitlabId.nullish(), path_with_namespace: text(1024).nullish() }).nullish(),
  object_attributes: attributesSchema,
  labels,
  assignees: z.array(person).max(1000).nullish(),
});

type Payload = z.infer<typeof payloadSchema>;
type Attributes = z.infer<typeof attributesSchema>;

// ---------------------------------------------------------------------------------------------

/** PostgreSQL text cannot hold NUL, and lone UTF-16 surrogates cannot be encoded: replace both. */
export function cleanText(value: string): string {
  return value.replace(
    /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    "\uFFFD",
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const stringOrNull = (value: unknown, max = 64) =>
  typeof value === "string" ? cleanText(value.slice(0, max)) : null;

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`)
    .join("; ");
}

function toPerson(raw: z.infer<typeof person> | null | undefined): WebhookPerson | null {
  if (!raw?.username) return null;
  return {
    id: raw.id ?? null,
    username: cleanText(raw.username),
    name: raw.name ? cleanText(raw.name) : null,
    avatar_url: raw.avatar_url ? cleanText(raw.avatar_url) : null,
  };
}

function itemState(type: ExternalResourceType, attrs: Attributes): WebhookItem["state"] | string {
  const mr = type === "GITLAB_MR";
  // A merge is "merged" whatever transient state (locked) the body caught.
  if (mr && attrs.action === "merge") return "merged";
  if (attrs.state) {
    const state = attrs.state.toLowerCase();
    if (state === "opened" || state === "reopened" || state === "open") return "opened";
    if (state === "closed") return "closed";
    // "locked" is the brief moment while GitLab merges: still open.
    if (mr && state === "locked") return "opened";
    if (mr && state === "merged") return "merged";
    return `object_attributes.state "${attrs.state}" is not ${mr ? "a merge request" : "an issue"} state`;
  }
  const byId: Record<number, WebhookItem["state"]> = mr
    ? { 1: "opened", 2: "closed", 3: "merged", 4: "opened" }
    : { 1: "opened", 2: "closed" };
  if (attrs.state_id !== null && attrs.state_id !== undefined) {
    return (
      byId[attrs.state_id] ??
      `object_attributes.state_id ${attrs.state_id} is not ${mr ? "a merge request" : "an issue"} state`
    );
  }
  if (attrs.action === "open" || attrs.action === "reopen") return "opened";
  if (attrs.action === "close") return "closed";
  return "The payload does not say the item's state (object_attributes.state)";
}

const DRAFT_TITLE = /^\s*(\[draft\]|\(draft\)|draft:|draft\s-|\[wip\]|wip:)/i;

function isDraft(attrs: Attributes): boolean {
  if (typeof attrs.draft === "boolean") return attrs.draft;
  if (typeof attrs.work_in_progress === "boolean") return attrs.work_in_progress;
  return DRAFT_TITLE.test(attrs.title ?? "");
}

function projectPathFromUrl(url: string | null | undefined, instanceUrl: string): string | null {
  if (!url) return null;
  try {
    return parseItemReference(url, instanceUrl).projectPath;
  } catch (error) {
    if (error instanceof ItemReferenceError) return null;
    throw error;
  }
}

function labelNames(payload: Payload): string[] | undefined {
  const list = payload.labels ?? payload.object_attributes.labels;
  if (!list) return undefined;
  const names = list
    .map((entry) => cleanText(typeof entry === "string" ? entry : entry.title))
    .filter(Boolean);
  return [...new Set(names)];
}

function assigneesOf(payload: Payload): WebhookPerson[] | undefined {
  if (payload.assignees) return payload.assignees.map(toPerson).filter((p): p is WebhookPerson => p !== null);
  // GitLab leaves `assignees` out when there are none.
  if (payload.object_attributes.assignee_ids?.length === 0) return [];
  return undefined;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

function timeField(value: string | null | undefined, field: string): Parsed<GitLabTime | null> {
  if (value === null || value === undefined || value === "") return { ok: true, value: null };
  const parsed = parseGitLabTime(value);
  return parsed
    ? { ok: true, value: parsed }
    : {
        ok: false,
        reason: `object_attributes.${field} "${cleanText(value.slice(0, 40))}" is not a timestamp`,
      };
}

function kindOf(
  event: string | null,
  objectKind: string | null,
): { type: ExternalResourceType } | { ignored: string } | { invalid: string } {
  const isIssueKind = objectKind === "issue" || objectKind === "work_item";
  if (event !== null) {
    if (ISSUE_EVENTS.has(event)) {
      return isIssueKind
        ? { type: "GITLAB_ISSUE" }
        : {
            invalid: `An ${event} must carry object_kind "issue" or "work_item", not ${JSON.stringify(objectKind)}`,
          };
    }
    if (event === MR_EVENT)
      return objectKind === "merge_request"
        ? { type: "GITLAB_MR" }
        : {
            invalid: `A ${MR_EVENT} must carry object_kind "merge_request", not ${JSON.stringify(objectKind)}`,
          };
  }
  // No X-Gitlab-Event header (a hand-made request): go by the body.
  if (isIssueKind) return { type: "GITLAB_ISSUE" };
  if (objectKind === "merge_request") return { type: "GITLAB_MR" };
  if (objectKind === null) return { invalid: "The payload has no object_kind" };
  return { ignored: `object_kind "${objectKind}" is not an issue or merge request` };
}

/** Events Flagpost acts on; any other `X-Gitlab-Event` is answered "ignored" without reading the body. */
function isHandledEvent(event: string | null): boolean {
  return event === null || ISSUE_EVENTS.has(event) || event === MR_EVENT;
}

export function normaliseDelivery(
  event: string | null,
  body: string,
  options: { instanceUrl: string },
): NormalisedDelivery {
  const facts: DeliveryFacts = { event, objectKind: null, action: null, itemRef: null };
  if (!isHandledEvent(event)) {
    return {
      ...facts,
      outcome: "ignored",
      reason: `${event} events are not used by Flagpost (only issue and merge request events)`,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return {
      ...facts,
      outcome: "invalid",
      reason: `Malformed JSON body: ${cleanText((error as Error).message.slice(0, 200))}`,
    };
  }
  if (!isRecord(json)) return { ...facts, outcome: "invalid", reason: "The body is not a JSON object" };
  const rawAttrs = isRecord(json.object_attributes) ? json.object_attributes : null;
  facts.objectKind = stringOrNull(json.object_kind);
  facts.action = stringOrNull(rawAttrs?.action);

  const kind = kindOf(event, facts.objectKind);
  if ("invalid" in kind) return { ...facts, outcome: "invalid", reason: kind.invalid };
  if ("ignored" in kind) return { ...facts, outcome: "ignored", reason: kind.ignored };

  if (kind.type === "GITLAB_ISSUE") {
    // Epics and other group-level work items arrive without a project: nothing to link them to.
    if (
      (json.project === undefined || json.project === null) &&
      rawAttrs &&
      (rawAttrs.project_id === undefined || rawAttrs.project_id === null)
    ) {
      return {
        ...facts,
        outcome: "ignored",
        reason:
          "Group-level work item (the payload names no project): only project issues, tasks and incidents can be linked",
      };
    }
    const workItemType = stringOrNull(rawAttrs?.type);
    if (workItemType && !LINKABLE_WORK_ITEM_TYPES.has(workItemType.toLowerCase())) {
      return {
        ...facts,
        outcome: "ignored",
        reason: `Work item type "${workItemType}" cannot be linked to features (only Issue, Task and Incident)`,
      };
    }
  }

  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success)
    return {
      ...facts,
      outcome: "invalid",
      reason: `The payload is missing or mistypes what Flagpost needs: ${cleanText(describeIssues(parsed.error))}`,
    };
  const payload = parsed.data;
  const attrs = payload.object_attributes;

  const gitlabProjectId =
    payload.project?.id ?? (kind.type === "GITLAB_MR" ? attrs.target_project_id : attrs.project_id) ?? null;
  const projectPath = payload.project?.path_with_namespace
    ? cleanText(payload.project.path_with_namespace)
    : projectPathFromUrl(attrs.url, options.instanceUrl);
  const ref = `${projectPath ?? (gitlabProjectId !== null ? `project ${gitlabProjectId}` : "")}${shortReference(kind.type === "GITLAB_MR" ? "merge_request" : "issue", attrs.iid)}`;
  facts.itemRef = ref;
  if (gitlabProjectId === null && projectPath === null) {
    return {
      ...facts,
      outcome: "invalid",
      reason:
        "The payload does not name the item's project (project.id, object_attributes.project_id or a project path)",
    };
  }

  const state = itemState(kind.type, attrs);
  if (state !== "opened" && state !== "closed" && state !== "merged")
    return { ...facts, outcome: "invalid", reason: state };

  const updated = timeField(attrs.updated_at, "updated_at");
  if (!updated.ok) return { ...facts, outcome: "invalid", reason: updated.reason };
  const closed = timeField(attrs.closed_at, "closed_at");
  if (!closed.ok) return { ...facts, outcome: "invalid", reason: closed.reason };
  const merged = timeField(attrs.merged_at, "merged_at");
  if (!merged.ok) return { ...facts, outcome: "invalid", reason: merged.reason };

  // Merge requests carry no closed_at: the close or merge event's own updated_at is that moment.
  const closingAction = attrs.action === "close" || attrs.action === "merge";
  const closedAt =
    state === "opened"
      ? null
      : (merged.value?.date ?? closed.value?.date ?? (closingAction ? (updated.value?.date ?? null) : null));

  const user = toPerson(payload.user);
  const author = user && user.id !== null && attrs.author_id === user.id ? user : undefined;

  return {
    ...facts,
    outcome: "item",
    actor: { id: payload.user?.id ?? null, username: payload.user?.username ?? null },
    changedFields: isRecord(json.changes) ? Object.keys(json.changes) : null,
    item: {
      type: kind.type,
      gitlabProjectId,
      projectPath,
      iid: attrs.iid,
      ref,
      state,
      draft: kind.type === "GITLAB_MR" && isDraft(attrs),
      title: attrs.title === null || attrs.title === undefined ? undefined : cleanText(attrs.title),
      labels: labelNames(payload),
      assignees: assigneesOf(payload),
      author,
      updatedAt: updated.value?.date ?? null,
      updatedAtHasMillis: updated.value?.hasMillis ?? false,
      closedAt,
      // Only present on a Revert merge request that merged.
      ...(kind.type === "GITLAB_MR" && state === "merged" && revertedIid(attrs.description) !== null
        ? { revertsIid: revertedIid(attrs.description) }
        : {}),
    },
  };
}

// GitLab's revert commit message (Commit#revert_message), which the Revert merge request carries.
const REVERT_MARKER = /^This reverts merge request !(\d{1,9})\b/m;

function revertedIid(description: unknown): number | null {
  if (typeof description !== "string") return null;
  const match = REVERT_MARKER.exec(description.slice(0, 10_000));
  return match ? Number(match[1]) : null;
}
