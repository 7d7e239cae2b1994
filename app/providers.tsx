"use client";

import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Toaster } from "sonner";
import { ApiClientError } from "@/lib/client/queries/api-client";

// An expired session turns every request into a 401: send the person to sign in and come back.
function redirectOnUnauthorized(error: unknown) {
  if (typeof window === "undefined" || !(error instanceof ApiClientError) || error.status !== 401) return;
  if (window.location.pathname.startsWith("/login")) return;
  const back = window.location.pathname + window.location.search;
  // A full navigation on purpose: it drops every cached query of the expired session.
  // eslint-disable-next-line @next/next/no-location-assign-relative-destination
  window.location.assign(`/login?callbackUrl=${encodeURIComponent(back)}`);
}

function makeQueryClient() {
  return new QueryClient({
    queryCache: new QueryCache({ onError: redirectOnUnauthorized }),
    mutationCache: new MutationCache({ onError: redirectOnUnauthorized }),
    defaultOptions: {
      queries: {
        // Admin data changes rarely from elsewhere; avoid refetch storms when navigating around.
        staleTime: 30_000,
        // Client errors (404, 403, 422…) will not fix themselves on retry; network/5xx might.
        retry: (failureCount, error) =>
          !(error instanceof ApiClientError && error.status >= 400 && error.status < 500) && failureCount < 2,
      },
    },
  });
}

let browserQueryClient: QueryClient | undefined;

/** One client per browser tab (kept across navigations); a fresh one per server render. */
function getQueryClient(): QueryClient {
  if (typeof window === "undefined") return makeQueryClient();
  browserQueryClient ??= makeQueryClient();
  return browserQueryClient;
}

export function Providers({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient();
  return (
    <QueryClientProvider client={queryClient}>
      {children}
      {/* One polite live region for every toast; a toast pauses while hovered or focused. */}
      <Toaster
        position="bottom-right"
        theme="system"
        richColors
        closeButton
        visibleToasts={4}
        duration={5000}
      />
    </QueryClientProvider>
  );
}
