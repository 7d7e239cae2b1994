"use client";

import { keepPreviousData } from "@tanstack/react-query";
import { useQuery } from "@/lib/client/queries/hydration-safe-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys, type ListFilters } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";
import type { Page, Segment } from "@/lib/client/queries/types";

export function useSegments(
  projectId: number,
  filters: ListFilters,
  { enabled = true }: { enabled?: boolean } = {},
) {
  return useQuery({
    queryKey: queryKeys.segments.list(projectId, filters),
    queryFn: ({ signal }) => api.get<Page<Segment>>(paths.segments(projectId), { ...filters }, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}
