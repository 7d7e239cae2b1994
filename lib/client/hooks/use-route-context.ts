"use client";

import { useParams } from "next/navigation";

/** The ids in the current URL (`/projects/[projectId]/environments/[envApiKey]/features/[featureId]`). */
export function useRouteContext() {
  const params = useParams<{ projectId?: string; envApiKey?: string; featureId?: string }>();
  const toId = (value: string | undefined) => (value && /^\d+$/.test(value) ? Number(value) : undefined);
  return {
    projectId: toId(params?.projectId),
    envApiKey: params?.envApiKey ? decodeURIComponent(params.envApiKey) : undefined,
    featureId: toId(params?.featureId),
  };
}
