"use client";

import { keepPreviousData } from "@tanstack/react-query";
import { useQuery } from "@/lib/client/queries/hydration-safe-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys, type FeatureListFilters } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";
import type { Feature, Page } from "@/lib/client/queries/types";

/** One server page of a project's features; the previous page stays on screen while the next loads. */
export function useFeatures(projectId: number, filters: FeatureListFilters) {
  return useQuery({
    queryKey: queryKeys.features.list(projectId, filters),
    queryFn: ({ signal }) => api.get<Page<Feature>>(paths.features(projectId), { ...filters }, signal),
    placeholderData: keepPreviousData,
  });
}
