"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";
import type { CreatedApiKey } from "@/lib/client/queries/types";
import type { createApiKeyBody } from "@/lib/validations/core";
import type { z } from "zod";

/** Creates an organisation API key; the answer holds the whole key, which is never shown again. */
export function useCreateApiKey(organisationId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: z.input<typeof createApiKeyBody>) =>
      api.post<CreatedApiKey>(paths.apiKeys(organisationId), input),
    onSuccess: () =>
      void queryClient.invalidateQueries({ queryKey: queryKeys.organisations.apiKeysAll(organisationId) }),
  });
}
