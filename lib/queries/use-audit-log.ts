"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/queries/api-client";
import { queryKeys, type AuditLogListFilters } from "@/lib/queries/keys";
import { paths } from "@/lib/queries/paths";
import type { AuditEntry, Page } from "@/lib/queries/types";

export function useAuditLog(projectId: number, filters: AuditLogListFilters) {
  return useQuery({
    queryKey: queryKeys.auditLog.list(projectId, filters),
    queryFn: ({ signal }) => api.get<Page<AuditEntry>>(paths.auditLog(projectId), { ...filters }, signal),
    placeholderData: keepPreviousData,
  });
}
