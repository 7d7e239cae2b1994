"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback } from "react";

// List state (search, filters, page) lives in the URL so it survives reloads and can be shared.

export type QueryUpdate = Record<string, string | number | null | undefined>;

export function useUrlQuery() {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const router = useRouter();

  const setQuery = useCallback(
    (update: QueryUpdate, { push = false }: { push?: boolean } = {}) => {
      const params = new URLSearchParams(searchParams.toString());
      for (const [key, value] of Object.entries(update)) {
        if (value === null || value === undefined || value === "") params.delete(key);
        else params.set(key, String(value));
      }
      const search = params.toString();
      const href = search ? `${pathname}?${search}` : pathname;
      if (push) router.push(href, { scroll: false });
      else router.replace(href, { scroll: false });
    },
    [pathname, router, searchParams],
  );

  const getPage = useCallback(() => {
    const page = Number(searchParams.get("page"));
    return Number.isInteger(page) && page > 0 ? page : 1;
  }, [searchParams]);

  return { searchParams, setQuery, page: getPage() };
}
