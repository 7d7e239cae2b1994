"use client";

import { useQuery } from "@/lib/client/queries/hydration-safe-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";
import type { Environment } from "@/lib/client/queries/types";

/** One environment by its API key; pages pass what the server already loaded as `initialData`. */
export function useEnvironment(apiKey: string | undefined, initialData?: Environment) {
  return useQuery({
    queryKey: queryKeys.environments.detail(apiKey ?? ""),
    queryFn: ({ signal }) => api.get<Environment>(paths.environment(apiKey!), undefined, signal),
    enabled: Boolean(apiKey),
    initialData,
  });
}
