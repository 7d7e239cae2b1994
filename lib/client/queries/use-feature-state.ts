"use client";

import { useQueries, useQuery } from "@/lib/client/queries/hydration-safe-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";
import type { Environment, FeatureState, Page } from "@/lib/client/queries/types";

function featureStateQuery(apiKey: string, featureId: number) {
  return {
    queryKey: queryKeys.featureStates.list(apiKey, { feature: featureId }),
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      api.get<Page<FeatureState>>(paths.featureStates(apiKey), { feature: featureId }, signal),
    select: (page: Page<FeatureState>) => page.results[0] ?? null,
  };
}

/** A feature's state in one environment. */
export function useFeatureState(apiKey: string, featureId: number) {
  return useQuery(featureStateQuery(apiKey, featureId));
}

/** A feature's state in each of the given environments (one small request per environment). */
export function useFeatureStatesAcrossEnvironments(environments: Environment[], featureId: number) {
  return useQueries({
    queries: environments.map((environment) => featureStateQuery(environment.api_key, featureId)),
  });
}
