"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/queries/api-client";
import { queryKeys } from "@/lib/client/queries/keys";
import { paths } from "@/lib/client/queries/paths";
import type { ProjectMember, ProjectRole } from "@/lib/client/queries/types";

export function useAddProjectMember(projectId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { user: number; role: ProjectRole }) =>
      api.post<ProjectMember>(paths.members(projectId), input),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.members.lists(projectId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.auditLog.lists(projectId) });
    },
  });
}
