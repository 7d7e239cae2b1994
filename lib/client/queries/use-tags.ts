"use client";

import { useQuery } from "@/lib/client/queries/hydration-safe-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths, rowsOf } from "@/lib/client/queries/paths";
import type { Page, Tag } from "@/lib/client/queries/types";

/** A project's tags (the API answers them all at once, as a plain array). */
export function useTags(projectId: number) {
  return useQuery({
    queryKey: queryKeys.tags.list(projectId),
    queryFn: ({ signal }) => api.get<Tag[] | Page<Tag>>(paths.tags(projectId), undefined, signal),
    select: (data) => [...rowsOf(data)].sort((a, b) => a.label.localeCompare(b.label)),
  });
}
