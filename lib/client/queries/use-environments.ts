"use client";

import { keepPreviousData } from "@tanstack/react-query";
import { useQuery } from "@/lib/client/queries/hydration-safe-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys, type ListFilters } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";
import type { Environment, Page } from "@/lib/client/queries/types";

/** A page of a project's environments (switchers ask for the first 100). */
export function useEnvironments(projectId: number | undefined, filters: ListFilters = { page_size: 100 }) {
  return useQuery({
    queryKey: queryKeys.environments.list(projectId ?? 0, filters),
    queryFn: ({ signal }) =>
      api.get<Page<Environment>>(paths.environments(), { project: projectId, ...filters }, signal),
    enabled: projectId !== undefined,
    placeholderData: keepPreviousData,
  });
}
