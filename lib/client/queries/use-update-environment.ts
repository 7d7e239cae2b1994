"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";
import type { Environment } from "@/lib/client/queries/types";
import type { UpdateEnvironmentInput } from "@/lib/validations/core";

export function useUpdateEnvironment(projectId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ apiKey, ...changes }: { apiKey: string } & UpdateEnvironmentInput) =>
      api.patch<Environment>(paths.environment(apiKey), changes),
    onSuccess: (environment) => {
      queryClient.setQueryData(queryKeys.environments.detail(environment.api_key), environment);
      void queryClient.invalidateQueries({ queryKey: queryKeys.environments.lists(projectId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.auditLog.lists(projectId) });
    },
  });
}
