"use client";

import { useQuery } from "@/lib/client/queries/hydration-safe-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";
import type { Feature } from "@/lib/client/queries/types";

export function useFeature(projectId: number | undefined, featureId: number | undefined) {
  return useQuery({
    queryKey: queryKeys.features.detail(projectId ?? 0, featureId ?? 0),
    queryFn: ({ signal }) => api.get<Feature>(paths.feature(projectId!, featureId!), undefined, signal),
    enabled: projectId !== undefined && featureId !== undefined,
  });
}
