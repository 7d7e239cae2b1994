"use client";

import { keepPreviousData } from "@tanstack/react-query";
import { useQuery } from "@/lib/client/queries/hydration-safe-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys, type ListFilters } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";
import type { Page, Project } from "@/lib/client/queries/types";

export function useProjects(filters: ListFilters) {
  return useQuery({
    queryKey: queryKeys.projects.list(filters),
    queryFn: ({ signal }) => api.get<Page<Project>>(paths.projects(), { ...filters }, signal),
    placeholderData: keepPreviousData,
  });
}
