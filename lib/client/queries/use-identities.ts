"use client";

import { keepPreviousData, useMutation, useQueryClient } from "@tanstack/react-query";
import { useQuery } from "@/lib/client/queries/hydration-safe-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys, type ListFilters } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";
import type { Identity, Page } from "@/lib/client/queries/types";

/** One environment's identities, searched and paged by the server (`?q=` is "identifier contains"). */
export function useIdentities(apiKey: string, filters: ListFilters) {
  return useQuery({
    queryKey: queryKeys.identities.list(apiKey, filters),
    queryFn: ({ signal }) =>
      api.get<Page<Identity>>(
        paths.identities(apiKey),
        { q: filters.search, page: filters.page, page_size: filters.page_size },
        signal,
      ),
    placeholderData: keepPreviousData,
  });
}

export function useIdentity(apiKey: string, identityId: number | null) {
  return useQuery({
    queryKey: queryKeys.identities.detail(apiKey, identityId ?? 0),
    queryFn: ({ signal }) => api.get<Identity>(paths.identity(apiKey, identityId ?? 0), undefined, signal),
    enabled: identityId !== null,
  });
}

export function useCreateIdentity(projectId: number, apiKey: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { identifier: string }) => api.post<Identity>(paths.identities(apiKey), input),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.identities.lists(apiKey) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.auditLog.lists(projectId) });
    },
  });
}

export function useDeleteIdentity(projectId: number, apiKey: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (identityId: number) => api.delete(paths.identity(apiKey, identityId)),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.identities.lists(apiKey) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.auditLog.lists(projectId) });
    },
  });
}
