// eslint-disable-next-line no-restricted-imports -- TanStack's own hook shows what is guarded against
import { QueryClient, QueryClientProvider, useQuery as useTanStackQuery } from "@tanstack/react-query";
import { createElement, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { useQuery } from "@/lib/client/queries/hydration-safe-query";

// A server render and a hydration both read useSyncExternalStore's server snapshot, so
// renderToString shows what a component renders while it hydrates. A component hydrating after
// the cache filled (a late Suspense boundary) must still render what the server did: "loading".

const queryFn = async () => "fetched";

function withCachedData(child: ReactNode) {
  const client = new QueryClient();
  client.setQueryData(["greeting"], "cached");
  return createElement(QueryClientProvider, { client }, child);
}

function Wrapped() {
  const query = useQuery({ queryKey: ["greeting"], queryFn });
  return createElement("p", null, query.isPending ? "loading" : query.data);
}

function Plain() {
  const query = useTanStackQuery({ queryKey: ["greeting"], queryFn });
  return createElement("p", null, query.isPending ? "loading" : query.data);
}

describe("hydration-safe queries", () => {
  it("render what a fresh server render would while hydrating, even with data cached", () => {
    expect(renderToString(withCachedData(createElement(Plain)))).toBe("<p>cached</p>");
    expect(renderToString(withCachedData(createElement(Wrapped)))).toBe("<p>loading</p>");
  });

  it("keep initialData, which the server rendered too", () => {
    function WithInitialData() {
      const query = useQuery({ queryKey: ["other"], queryFn, initialData: "initial" });
      return createElement("p", null, query.data);
    }
    expect(renderToString(withCachedData(createElement(WithInitialData)))).toBe("<p>initial</p>");
  });
});
