"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/queries/api-client";
import { queryKeys, type ListFilters } from "@/lib/queries/keys";
import { paths } from "@/lib/queries/paths";
import type { Page, ProjectMember } from "@/lib/queries/types";

export function useProjectMembers(projectId: number, filters: ListFilters) {
  return useQuery({
    queryKey: queryKeys.members.list(projectId, filters),
    queryFn: ({ signal }) => api.get<Page<ProjectMember>>(paths.members(projectId), { ...filters }, signal),
    placeholderData: keepPreviousData,
  });
}
