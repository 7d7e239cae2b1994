"use client";

import { useQuery } from "@/lib/client/queries/hydration-safe-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";
import type { Me } from "@/lib/client/queries/types";

/** The signed-in person with their organisations and project roles. */
export function useMe() {
  return useQuery({
    queryKey: queryKeys.me(),
    queryFn: ({ signal }) => api.get<Me>(paths.me(), undefined, signal),
    staleTime: 60_000,
  });
}
