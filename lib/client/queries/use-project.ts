"use client";

import { useQuery } from "@/lib/client/queries/hydration-safe-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";
import type { Project } from "@/lib/client/queries/types";

export function useProject(projectId: number | undefined) {
  return useQuery({
    queryKey: queryKeys.projects.detail(projectId ?? 0),
    queryFn: ({ signal }) => api.get<Project>(paths.project(projectId!), undefined, signal),
    enabled: projectId !== undefined,
  });
}
