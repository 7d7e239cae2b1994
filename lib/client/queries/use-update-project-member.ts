"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";
import type { ProjectMember, ProjectRole } from "@/lib/client/queries/types";

export function useUpdateProjectMember(projectId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, role }: { userId: number; role: ProjectRole }) =>
      api.patch<ProjectMember>(paths.member(projectId, userId), { role }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.members.lists(projectId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.me() });
      void queryClient.invalidateQueries({ queryKey: queryKeys.auditLog.lists(projectId) });
    },
  });
}
