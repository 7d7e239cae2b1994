"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useQuery } from "@/lib/client/queries/hydration-safe-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";
import type { Page, Trait } from "@/lib/client/queries/types";
import type { TraitValue } from "@/lib/validations/evaluation";

export function useIdentityTraits(apiKey: string, identityId: number) {
  return useQuery({
    queryKey: queryKeys.identities.traits(apiKey, identityId),
    queryFn: ({ signal }) => api.get<Page<Trait>>(paths.traits(apiKey, identityId), undefined, signal),
    select: (page) => page.results,
  });
}

/** Traits decide segment membership, so a change also refreshes the identity's evaluated flags. */
function useInvalidateTraits(projectId: number, apiKey: string, identityId: number) {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.identities.traits(apiKey, identityId) });
    void queryClient.invalidateQueries({ queryKey: queryKeys.identities.evaluatedFlags(apiKey, identityId) });
    void queryClient.invalidateQueries({ queryKey: queryKeys.auditLog.lists(projectId) });
  };
}

/** Sets a trait (POST replaces the value of an existing key). */
export function useSetTrait(projectId: number, apiKey: string, identityId: number) {
  const invalidate = useInvalidateTraits(projectId, apiKey, identityId);
  return useMutation({
    mutationFn: (input: { trait_key: string; trait_value: TraitValue }) =>
      api.post<Trait>(paths.traits(apiKey, identityId), input),
    onSuccess: invalidate,
  });
}

export function useDeleteTrait(projectId: number, apiKey: string, identityId: number) {
  const invalidate = useInvalidateTraits(projectId, apiKey, identityId);
  return useMutation({
    mutationFn: (traitId: number) => api.delete(paths.trait(apiKey, identityId, traitId)),
    onSuccess: invalidate,
  });
}
