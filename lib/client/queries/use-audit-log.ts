"use client";

import { keepPreviousData } from "@tanstack/react-query";
import { useQuery } from "@/lib/client/queries/hydration-safe-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys, type AuditLogListFilters } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";
import type { AuditEntry, Page } from "@/lib/client/queries/types";

export function useAuditLog(projectId: number, filters: AuditLogListFilters) {
  return useQuery({
    queryKey: queryKeys.auditLog.list(projectId, filters),
    queryFn: ({ signal }) => api.get<Page<AuditEntry>>(paths.auditLog(projectId), { ...filters }, signal),
    placeholderData: keepPreviousData,
  });
}
