import "server-only";
import type {
  GitLabAuthor,
  GitLabIssue,
  GitLabMember,
  GitLabMergeRequest,
  GitLabNote,
  GitLabPage,
  GitLabProject,
  ItemListFilters,
  LabelChange,
  PageRequest,
} from "@/lib/gitlab/client/types";

// GitLab's JSON and headers → the client's types (lib/gitlab/client/types.ts): pagination from
// x-page/x-next-page or the Link header, and one mapper per kind of object.

export type Json = Record<string, unknown>;

const numberOrNull = (value: string | undefined): number | null => {
  if (value === undefined || value.trim() === "") return null;
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed >= 0 ? parsed : null;
};

/** The `page` query parameter of a Link header entry with the given rel. */
function linkPage(link: string | undefined, rel: string): number | null {
  if (!link) return null;
  for (const part of link.split(",")) {
    const match = /<([^>]+)>\s*;\s*rel="([^"]+)"/.exec(part.trim());
    if (match?.[2] === rel) {
      try {
        return numberOrNull(new URL(match[1]!).searchParams.get("page") ?? undefined);
      } catch {
        return null;
      }
    }
  }
  return null;
}

/**
 * Paging facts from GitLab's headers: x-next-page/x-prev-page, falling back to the Link header
 * (gitlab.com sometimes leaves some x- headers out); totals only when GitLab counted.
 */
export function pageInfoFromHeaders(
  headers: Record<string, string>,
  requested: PageRequest,
  itemCount: number,
): Omit<GitLabPage<never>, "items"> {
  const page = numberOrNull(headers["x-page"]) ?? requested.page ?? 1;
  const perPage = numberOrNull(headers["x-per-page"]) ?? requested.perPage ?? 20;
  const hasNextHeader = headers["x-next-page"] !== undefined;
  const hasPrevHeader = headers["x-prev-page"] !== undefined;
  let nextPage = hasNextHeader ? numberOrNull(headers["x-next-page"]) : linkPage(headers.link, "next");
  const prevPage = hasPrevHeader ? numberOrNull(headers["x-prev-page"]) : linkPage(headers.link, "prev");
  // No header at all said whether there is more: a full page may have a successor.
  if (!hasNextHeader && !headers.link && itemCount >= perPage) nextPage = page + 1;
  return {
    page,
    perPage,
    nextPage,
    prevPage,
    total: numberOrNull(headers["x-total"]),
    totalPages: numberOrNull(headers["x-total-pages"]),
  };
}

export const str = (value: unknown): string => (typeof value === "string" ? value : "");
export const num = (value: unknown): number => (typeof value === "number" ? value : Number(value));

function toAuthor(raw: unknown): GitLabAuthor | null {
  if (!raw || typeof raw !== "object") return null;
  const user = raw as Json;
  return {
    id: num(user.id),
    username: str(user.username),
    name: str(user.name),
    avatarUrl: typeof user.avatar_url === "string" ? user.avatar_url : null,
  };
}

export function toProject(raw: Json): GitLabProject {
  return {
    id: num(raw.id),
    name: str(raw.name),
    pathWithNamespace: str(raw.path_with_namespace),
    webUrl: str(raw.web_url),
  };
}

export function accessLevelOf(raw: Json): number | null {
  const permissions = raw.permissions as
    | { project_access?: { access_level?: number } | null; group_access?: { access_level?: number } | null }
    | undefined;
  const levels = [permissions?.project_access?.access_level, permissions?.group_access?.access_level].filter(
    (level): level is number => typeof level === "number",
  );
  return levels.length ? Math.max(...levels) : null;
}

const strOrNull = (value: unknown): string | null =>
  typeof value === "string" && value !== "" ? value : null;

export function toIssue(raw: Json): GitLabIssue {
  return {
    id: num(raw.id),
    iid: num(raw.iid),
    projectId: num(raw.project_id),
    title: str(raw.title),
    state: raw.state === "closed" ? "closed" : "opened",
    webUrl: str(raw.web_url),
    labels: Array.isArray(raw.labels)
      ? raw.labels.map((label) => (typeof label === "string" ? label : str((label as Json).name)))
      : [],
    author: toAuthor(raw.author),
    assignees: Array.isArray(raw.assignees) ? raw.assignees.flatMap((user) => toAuthor(user) ?? []) : [],
    updatedAt: str(raw.updated_at),
    closedAt: strOrNull(raw.closed_at),
    confidential: raw.confidential === true,
  };
}

export function toMergeRequest(raw: Json): GitLabMergeRequest {
  const state =
    raw.state === "closed" || raw.state === "merged" || raw.state === "locked" ? raw.state : "opened";
  return {
    ...toIssue(raw),
    state,
    // `work_in_progress` is the pre-14.0 name of `draft`.
    draft: raw.draft === true || raw.work_in_progress === true,
    merged: state === "merged" || Boolean(raw.merged_at),
    // A merged MR has merged_at; closed_at is only set for MRs closed without merging.
    closedAt: strOrNull(raw.merged_at) ?? strOrNull(raw.closed_at),
  };
}

/** GitLab takes label lists as comma-separated text (label names cannot contain commas). */
export function labelEdit(change: LabelChange) {
  return {
    ...(change.add?.length ? { addLabels: change.add.join(",") } : {}),
    ...(change.remove?.length ? { removeLabels: change.remove.join(",") } : {}),
  };
}

export function toNote(raw: Json): GitLabNote {
  // A body made only of quick actions is answered 202 with no note; Flagpost never sends one.
  if (typeof raw.id !== "number") throw new Error("GitLab created no note: the body held only quick actions");
  return {
    id: raw.id,
    body: str(raw.body),
    author: toAuthor(raw.author),
    system: raw.system === true,
    createdAt: str(raw.created_at),
    updatedAt: str(raw.updated_at),
  };
}

export function toMember(raw: Json): GitLabMember {
  return { ...toAuthor(raw)!, accessLevel: num(raw.access_level) };
}

export function itemQuery(filters: ItemListFilters) {
  return {
    page: filters.page ?? 1,
    perPage: filters.perPage ?? 20,
    ...(filters.state ? { state: filters.state } : {}),
    ...(filters.search ? { search: filters.search } : {}),
    ...(filters.iids?.length ? { iids: filters.iids } : {}),
  };
}
