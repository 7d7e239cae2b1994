"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/queries/api-client";
import { queryKeys, type ListFilters } from "@/lib/queries/keys";
import { paths } from "@/lib/queries/paths";
import type { Page, Segment } from "@/lib/queries/types";

export function useSegments(projectId: number, filters: ListFilters, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.segments.list(projectId, filters),
    queryFn: ({ signal }) => api.get<Page<Segment>>(paths.segments(projectId), { ...filters }, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}
