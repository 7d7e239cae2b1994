"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";
import type { Me } from "@/lib/client/queries/types";

/** Changes the signed-in person's own settings (their GitLab username). */
export function useUpdateMe() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { gitlab_username: string | null }) => api.patch<Me>(paths.me(), body),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.me() });
      void queryClient.invalidateQueries({ queryKey: queryKeys.organisations.all() });
    },
  });
}
