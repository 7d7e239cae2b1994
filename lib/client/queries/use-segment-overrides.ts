"use client";

import { useQuery } from "@/lib/client/queries/hydration-safe-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths, rowsOf } from "@/lib/client/queries/paths";
import type { Page, SegmentOverride } from "@/lib/client/queries/types";

/** A feature's segment overrides in one environment, highest priority (lowest number) first. */
export function useSegmentOverrides(projectId: number, featureId: number, environmentId: number) {
  return useQuery({
    queryKey: queryKeys.segmentOverrides.list(projectId, featureId, { environment: environmentId }),
    queryFn: ({ signal }) =>
      api.get<Page<SegmentOverride> | SegmentOverride[]>(
        paths.segmentOverrides(projectId, featureId),
        { environment: environmentId, page_size: 100 },
        signal,
      ),
    select: (data) => [...rowsOf(data)].sort((a, b) => a.priority - b.priority || a.id - b.id),
  });
}
