"use client";

import {
  InfiniteQueryObserver,
  QueryClient,
  QueryObserver,
  useInfiniteQuery as useTanStackInfiniteQuery,
  useQueries as useTanStackQueries,
  useQuery as useTanStackQuery,
} from "@tanstack/react-query";
import { useSyncExternalStore } from "react";

// Why this exists: React hydrates the content of a Suspense boundary in a later pass, after the
// rest of the page has committed and its queries have started fetching. TanStack Query hands a
// component hydrating then whatever the cache holds by that time, so it could render data where the
// server rendered "Loading…": React's text mismatch (#418), now and then on first page loads.
// These wrappers give a component, while it hydrates, the result the server rendered (nothing
// cached yet) and the live result from the next render on. Import queries from here, not from
// @tanstack/react-query (ESLint enforces it).

const subscribeToNothing = () => () => {};

/** True only while React hydrates the calling component from the server's HTML. */
function useIsHydrating(): boolean {
  return useSyncExternalStore(
    subscribeToNothing,
    () => false,
    () => true,
  );
}

type AnyObserverClass = new (
  client: QueryClient,
  options: never,
) => { getOptimisticResult(options: never): unknown };

/** The result a server render computes for these options: a fresh client, nothing cached. */
function resultAsServerRendered(Observer: AnyObserverClass, options: object) {
  const client = new QueryClient();
  const defaulted = { ...client.defaultQueryOptions(options as never), _optimisticResults: "optimistic" };
  const observer = new Observer(client, defaulted as never);
  return observer.getOptimisticResult(defaulted as never);
}

export const useQuery = ((options: object, queryClient?: QueryClient) => {
  const result = useTanStackQuery(options as never, queryClient);
  return useIsHydrating() ? resultAsServerRendered(QueryObserver, options) : result;
}) as typeof useTanStackQuery;

export const useInfiniteQuery = ((options: object, queryClient?: QueryClient) => {
  const result = useTanStackInfiniteQuery(options as never, queryClient);
  return useIsHydrating() ? resultAsServerRendered(InfiniteQueryObserver, options) : result;
}) as typeof useTanStackInfiniteQuery;

export const useQueries = ((
  options: { queries: readonly object[]; combine?: never },
  queryClient?: QueryClient,
) => {
  const result = useTanStackQueries(options as never, queryClient);
  if (!useIsHydrating()) return result;
  if (options.combine)
    throw new Error("useQueries: `combine` is not supported by the hydration-safe wrapper");
  return options.queries.map((query) => resultAsServerRendered(QueryObserver, query));
}) as typeof useTanStackQueries;
