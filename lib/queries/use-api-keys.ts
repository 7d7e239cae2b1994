"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/queries/api-client";
import { queryKeys, type ListFilters } from "@/lib/queries/keys";
import { paths } from "@/lib/queries/paths";
import type { ApiKey, Page } from "@/lib/queries/types";

export function useApiKeys(organisationId: number | undefined, filters: ListFilters, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.organisations.apiKeys(organisationId ?? 0, filters),
    queryFn: ({ signal }) => api.get<Page<ApiKey>>(paths.apiKeys(organisationId!), { ...filters }, signal),
    enabled: enabled && organisationId !== undefined,
    placeholderData: keepPreviousData,
  });
}
