"use client";

import { keepPreviousData } from "@tanstack/react-query";
import { useQuery } from "@/lib/client/queries/hydration-safe-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys, type ListFilters } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";
import type { Page, ProjectMember } from "@/lib/client/queries/types";

export function useProjectMembers(projectId: number, filters: ListFilters) {
  return useQuery({
    queryKey: queryKeys.members.list(projectId, filters),
    queryFn: ({ signal }) => api.get<Page<ProjectMember>>(paths.members(projectId), { ...filters }, signal),
    placeholderData: keepPreviousData,
  });
}
