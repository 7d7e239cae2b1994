"use client";

import { keepPreviousData } from "@tanstack/react-query";
import { useQuery } from "@/lib/client/queries/hydration-safe-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys, type ListFilters } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";
import type { ApiKey, Page } from "@/lib/client/queries/types";

export function useApiKeys(
  organisationId: number | undefined,
  filters: ListFilters,
  { enabled = true }: { enabled?: boolean } = {},
) {
  return useQuery({
    queryKey: queryKeys.organisations.apiKeys(organisationId ?? 0, filters),
    queryFn: ({ signal }) => api.get<Page<ApiKey>>(paths.apiKeys(organisationId!), { ...filters }, signal),
    enabled: enabled && organisationId !== undefined,
    placeholderData: keepPreviousData,
  });
}
