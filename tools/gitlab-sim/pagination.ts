// Offset pagination exactly as GitLab's `Gitlab::Pagination::OffsetPagination` answers it:
// x-page/x-per-page/x-next-page/x-prev-page/x-total/x-total-pages and a Link header with
// prev/next/first/last. Above 10,000 records the totals and rel="last" are omitted.
import { type Params, int } from "./http";

const DEFAULT_PER_PAGE = 20;
const MAX_PER_PAGE = 100;
const COUNT_LIMIT = 10_000;

export interface PageRequest {
  /** Absolute URL of the request path (instance origin + raw path), without query. */
  baseUrl: string;
  /** The request's query string, without `?`. */
  rawQuery: string;
  params: Params;
}

export interface Page<T> {
  items: T[];
  headers: Record<string, string>;
}

// Ruby's CGI.escape: space → "+", everything but [A-Za-z0-9_.~-] percent-encoded.
function cgiEscape(s: string): string {
  return encodeURIComponent(s)
    .replace(/%20/g, "+")
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Rebuilds the query like Rails' `Hash#to_query`: one group per key, groups sorted. */
function toQuery(rawQuery: string, overrides: Record<string, string>): string {
  const groups = new Map<string, string[]>();
  for (const [k, v] of new URLSearchParams(rawQuery)) {
    if (k in overrides) continue;
    const list = groups.get(k) ?? [];
    list.push(`${cgiEscape(k)}=${cgiEscape(v)}`);
    groups.set(k, list);
  }
  for (const [k, v] of Object.entries(overrides)) groups.set(k, [`${cgiEscape(k)}=${cgiEscape(v)}`]);
  return [...groups.values()]
    .map((g) => g.join("&"))
    .sort()
    .join("&");
}

function pageParams(params: Params): { page: number; perPage: number } {
  const rawPage = int(params, "page");
  const rawPerPage = int(params, "per_page");
  const page = rawPage === undefined || rawPage < 1 ? 1 : rawPage;
  const perPage =
    rawPerPage === undefined || rawPerPage < 1 ? DEFAULT_PER_PAGE : Math.min(rawPerPage, MAX_PER_PAGE);
  return { page, perPage };
}

export function paginate<T>(req: PageRequest, all: readonly T[]): Page<T> {
  const { page, perPage } = pageParams(req.params);
  const total = all.length;
  const totalPages = Math.max(1, Math.ceil(total / perPage));
  const outOfRange = page > totalPages;
  const items = all.slice((page - 1) * perPage, page * perPage);
  const nextPage = !outOfRange && page < totalPages ? page + 1 : null;
  const prevPage = !outOfRange && page > 1 ? page - 1 : null;
  const withCounts = total <= COUNT_LIMIT;

  const href = (p: number) =>
    `${req.baseUrl}?${toQuery(req.rawQuery, { page: String(p), per_page: String(perPage) })}`;
  const links: string[] = [];
  if (prevPage !== null) links.push(`<${href(prevPage)}>; rel="prev"`);
  if (nextPage !== null) links.push(`<${href(nextPage)}>; rel="next"`);
  links.push(`<${href(1)}>; rel="first"`);
  if (withCounts) links.push(`<${href(totalPages)}>; rel="last"`);

  const headers: Record<string, string> = {
    "X-Per-Page": String(perPage),
    "X-Page": String(page),
    "X-Next-Page": nextPage === null ? "" : String(nextPage),
    "X-Prev-Page": prevPage === null ? "" : String(prevPage),
    Link: links.join(", "),
  };
  if (withCounts) {
    headers["X-Total"] = String(total);
    headers["X-Total-Pages"] = String(totalPages);
  }
  return { items, headers };
}
