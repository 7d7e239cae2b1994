"use client";

import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/queries/api-client";
import { queryKeys } from "@/lib/queries/keys";
import { paths } from "@/lib/queries/paths";
import type { Me } from "@/lib/queries/types";

/** The signed-in person with their organisations and project roles. */
export function useMe() {
  return useQuery({
    queryKey: queryKeys.me(),
    queryFn: ({ signal }) => api.get<Me>(paths.me(), undefined, signal),
    staleTime: 60_000,
  });
}
