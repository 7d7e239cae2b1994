import type { QueryClient } from "@tanstack/react-query";
import { queryKeys } from "@/lib/client/queries/keys";

/** After any override change: the override lists, the feature's override counts and the audit log. */
export function invalidateAfterOverrideChange(
  queryClient: QueryClient,
  projectId: number,
  featureId: number,
) {
  void queryClient.invalidateQueries({ queryKey: queryKeys.segmentOverrides.lists(projectId, featureId) });
  void queryClient.invalidateQueries({ queryKey: queryKeys.features.all(projectId) });
  void queryClient.invalidateQueries({ queryKey: queryKeys.auditLog.lists(projectId) });
}
