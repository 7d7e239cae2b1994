"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";
import type { Tag } from "@/lib/client/queries/types";

export function useCreateTag(projectId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { label: string; color?: string; description?: string }) =>
      api.post<Tag>(paths.tags(projectId), input),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.tags.list(projectId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.auditLog.lists(projectId) });
    },
  });
}
