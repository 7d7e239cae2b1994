import "server-only";
import { z } from "zod";
import { env } from "@/lib/env";

// Flagsmith-style list answers: { count, next, previous, results } with absolute page URLs.

export const paginationQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(100).default(20),
});

export type PaginationQuery = z.infer<typeof paginationQuery>;

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export function skipTake({ page, page_size }: PaginationQuery) {
  return { skip: (page - 1) * page_size, take: page_size };
}

/** The absolute URL of another page of the list at `url` (on the public URL, query kept). */
export function pageUrl(url: URL, page: number, pageSize: number): string {
  const target = new URL(url.pathname + url.search, env().FLAGPOST_PUBLIC_URL);
  target.searchParams.set("page", String(page));
  target.searchParams.set("page_size", String(pageSize));
  return target.toString();
}

export function paginate<T>(url: URL, query: PaginationQuery, count: number, results: T[]): Page<T> {
  const link = (page: number) => pageUrl(url, page, query.page_size);
  const lastPage = Math.max(1, Math.ceil(count / query.page_size));
  return {
    count,
    next: query.page < lastPage ? link(query.page + 1) : null,
    previous: query.page > 1 ? link(Math.min(query.page - 1, lastPage)) : null,
    results,
  };
}
