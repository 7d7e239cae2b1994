"use client";

import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/queries/api-client";
import { queryKeys } from "@/lib/queries/keys";
import { paths } from "@/lib/queries/paths";
import type { Environment } from "@/lib/queries/types";

/** One environment by its API key; pages pass what the server already loaded as `initialData`. */
export function useEnvironment(apiKey: string | undefined, initialData?: Environment) {
  return useQuery({
    queryKey: queryKeys.environments.detail(apiKey ?? ""),
    queryFn: ({ signal }) => api.get<Environment>(paths.environment(apiKey!), undefined, signal),
    enabled: Boolean(apiKey),
    initialData,
  });
}
