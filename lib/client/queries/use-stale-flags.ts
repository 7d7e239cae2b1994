"use client";

import { keepPreviousData } from "@tanstack/react-query";
import { useQuery } from "@/lib/client/queries/hydration-safe-query";
import { api } from "@/lib/client/queries/api-client";
import type { StaleFlag } from "@/lib/client/queries/gitlab-types";
import { queryKeys, type ListFilters } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";
import type { Page } from "@/lib/client/queries/types";

/** One page of the project's stale flags, stalest first, with the project's threshold. */
export function useStaleFlags(projectId: number, filters: ListFilters) {
  return useQuery({
    queryKey: queryKeys.staleFlags.list(projectId, filters),
    queryFn: ({ signal }) =>
      api.get<Page<StaleFlag> & { threshold_days: number }>(
        paths.staleFlags(projectId),
        { ...filters },
        signal,
      ),
    placeholderData: keepPreviousData,
  });
}
