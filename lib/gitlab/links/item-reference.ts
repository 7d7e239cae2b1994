// Understanding what a person pastes to link a GitLab issue or merge request: a web URL in any of
// the forms GitLab has used, or a short reference (#12, !34, group/project#12). The result names
// the item by project path + kind + iid; it is then resolved through the API to the numeric
// project id, which is the durable identity (never the URL string).

export type ItemKind = "issue" | "merge_request";

export interface ItemReference {
  kind: ItemKind;
  /** Full project path, e.g. "group/sub/project"; null for #N / !N meaning the linked project. */
  projectPath: string | null;
  iid: number;
}

export class ItemReferenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ItemReferenceError";
  }
}

/** decodeURIComponent throws URIError on a broken escape such as `%E0%A4%A`: that is bad input, not a crash. */
function decodedPath(url: URL): string {
  try {
    return decodeURIComponent(url.pathname);
  } catch {
    throw new ItemReferenceError(
      "That URL contains a malformed percent-encoding (such as %E0%A4%A); copy it again from GitLab",
    );
  }
}

const MAX_IID = 2_147_483_647;

function toIid(text: string): number {
  const iid = Number(text);
  if (!Number.isSafeInteger(iid) || iid < 1 || iid > MAX_IID)
    throw new ItemReferenceError(`"${text}" is not a valid issue or merge request number`);
  return iid;
}

const PROJECT_PATH = /^[A-Za-z0-9_.][A-Za-z0-9_.-]*(?:\/[A-Za-z0-9_.][A-Za-z0-9_.-]*)+$/;
// Text references: "#12", "!34", "group/sub/project#12", "group/project!45".
const SHORT_REFERENCE = /^(?<path>[A-Za-z0-9_.][A-Za-z0-9_./-]*)?(?<sigil>[#!])(?<iid>\d+)$/;

function parseShortReference(text: string): ItemReference | null {
  const match = SHORT_REFERENCE.exec(text);
  if (!match?.groups) return null;
  const path = match.groups.path?.replace(/\/+$/, "") || null;
  if (path !== null && !PROJECT_PATH.test(path)) {
    throw new ItemReferenceError(`"${path}" is not a GitLab project path (expected group/project)`);
  }
  return {
    kind: match.groups.sigil === "!" ? "merge_request" : "issue",
    projectPath: path,
    iid: toIid(match.groups.iid!),
  };
}

/** The issue-list drawer link: …/-/issues?show=<base64 JSON {"iid","full_path"}>. */
function parseDrawerLink(url: URL): ItemReference | null {
  const show = url.searchParams.get("show");
  if (!show) return null;
  try {
    const decoded = JSON.parse(Buffer.from(show, "base64").toString("utf8")) as {
      iid?: unknown;
      full_path?: unknown;
    };
    if (
      typeof decoded.full_path === "string" &&
      PROJECT_PATH.test(decoded.full_path) &&
      decoded.iid !== undefined
    ) {
      return { kind: "issue", projectPath: decoded.full_path, iid: toIid(String(decoded.iid)) };
    }
  } catch {
    // Not a drawer link after all.
  }
  return null;
}

function parseProjectItemPath(path: string): ItemReference | null {
  // Current form: "<project path>/-/<route>/<iid>[/sub-page]".
  const separator = path.indexOf("/-/");
  if (separator > 0) {
    const projectPath = path.slice(0, separator);
    const route = path.slice(separator + 3);
    const match = /^(issues(?:\/incident)?|work_items|merge_requests)\/(\d+)(?:\/[A-Za-z0-9_./-]*)?$/.exec(
      route,
    );
    if (!match || !PROJECT_PATH.test(projectPath)) return null;
    return {
      kind: match[1] === "merge_requests" ? "merge_request" : "issue",
      projectPath,
      iid: toIid(match[2]!),
    };
  }
  // Legacy form (GitLab ≤ 12 and old payloads): "<project path>/issues/<iid>".
  const legacy = /^(.+?)\/(issues|merge_requests)\/(\d+)$/.exec(path);
  if (!legacy || !PROJECT_PATH.test(legacy[1]!)) return null;
  return {
    kind: legacy[2] === "merge_requests" ? "merge_request" : "issue",
    projectPath: legacy[1]!,
    iid: toIid(legacy[3]!),
  };
}

/**
 * Parses a pasted URL or reference. URLs must be on the integration's instance (same host and
 * path prefix). Throws ItemReferenceError with a message that says what is wrong.
 */
export function parseItemReference(input: string, instanceUrl: string): ItemReference {
  const text = input.trim();
  if (!text)
    throw new ItemReferenceError("Paste an issue or merge request URL, or a reference such as #12 or !34");
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    const short = parseShortReference(text);
    if (short) return short;
    throw new ItemReferenceError(
      `"${text.slice(0, 100)}" is not a GitLab issue or merge request URL or reference`,
    );
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ItemReferenceError("That is not a valid URL");
  }
  const instance = new URL(instanceUrl);
  if (url.host.toLowerCase() !== instance.host.toLowerCase()) {
    throw new ItemReferenceError(
      `This URL is on ${url.host}, but the GitLab integration is connected to ${instance.host}. Link items from that instance only.`,
    );
  }
  const prefix = instance.pathname.replace(/\/+$/, "");
  let path = decodedPath(url).replace(/\/+$/, "");
  if (prefix) {
    if (
      path.toLowerCase() !== prefix.toLowerCase() &&
      !path.toLowerCase().startsWith(`${prefix.toLowerCase()}/`)
    ) {
      throw new ItemReferenceError(
        `This URL is outside ${instanceUrl}, the GitLab instance the integration is connected to`,
      );
    }
    path = path.slice(prefix.length);
  }
  path = path.replace(/^\/+/, "");
  if (/^groups\//.test(path) && /\/-\/(epics|work_items)\/\d+/.test(path)) {
    throw new ItemReferenceError(
      "Group-level work items and epics cannot be linked: they do not belong to a project. Link a project's issue or merge request instead.",
    );
  }
  const drawer = /\/-\/issues$/.test(path) ? parseDrawerLink(url) : null;
  if (drawer) return drawer;
  const item = parseProjectItemPath(path);
  if (!item) {
    throw new ItemReferenceError(
      "Not a GitLab issue or merge request URL (expected …/group/project/-/issues/12, …/-/work_items/12 or …/-/merge_requests/34)",
    );
  }
  return item;
}

/** "#12" for issues, "!34" for merge requests (GitLab's own sigils). */
export function shortReference(kind: ItemKind, iid: number): string {
  return `${kind === "merge_request" ? "!" : "#"}${iid}`;
}
