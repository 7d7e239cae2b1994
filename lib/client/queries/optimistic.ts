import type { QueryClient, QueryFilters, QueryKey } from "@tanstack/react-query";

// Optimistic updates: cancel in-flight reads → snapshot → write the expected result into every
// matching cache entry → (on error) put the snapshot back. Callers invalidate in onSettled.

export type CacheSnapshot = [QueryKey, unknown][];

export async function applyOptimistic(
  queryClient: QueryClient,
  targets: { filters: QueryFilters; update: (data: unknown) => unknown }[],
): Promise<CacheSnapshot> {
  await Promise.all(targets.map(({ filters }) => queryClient.cancelQueries(filters)));
  const snapshot: CacheSnapshot = targets.flatMap(({ filters }) => queryClient.getQueriesData(filters));
  for (const { filters, update } of targets) {
    queryClient.setQueriesData(filters, (data: unknown) => (data === undefined ? data : update(data)));
  }
  return snapshot;
}

export function rollback(queryClient: QueryClient, snapshot: CacheSnapshot | undefined) {
  for (const [key, data] of snapshot ?? []) queryClient.setQueryData(key, data);
}

/** Maps the rows of a cached list (page or plain array), leaving other shapes alone. */
export function mapRows<T>(data: unknown, map: (row: T) => T): unknown {
  if (Array.isArray(data)) return data.map((row) => map(row as T));
  if (data && typeof data === "object" && Array.isArray((data as { results?: unknown }).results)) {
    const page = data as { results: T[] };
    return { ...page, results: page.results.map(map) };
  }
  return data;
}
