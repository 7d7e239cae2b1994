"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/queries/api-client";
import { queryKeys, type ListFilters } from "@/lib/queries/keys";
import { paths } from "@/lib/queries/paths";
import type { Page, Project } from "@/lib/queries/types";

export function useProjects(filters: ListFilters) {
  return useQuery({
    queryKey: queryKeys.projects.list(filters),
    queryFn: ({ signal }) => api.get<Page<Project>>(paths.projects(), { ...filters }, signal),
    placeholderData: keepPreviousData,
  });
}
