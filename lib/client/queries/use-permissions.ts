"use client";

import { useMe } from "@/lib/client/queries/use-me";
import { useProject } from "@/lib/client/queries/use-project";
import type { ProjectRole } from "@/lib/client/queries/types";

// What the interface offers the signed-in person. Only for hiding or disabling controls: the API
// checks every request itself. Until roles are known nothing is writable, so controls never flash.

const rank: Record<ProjectRole, number> = { VIEWER: 1, EDITOR: 2, ADMIN: 3 };

export interface ProjectPermissions {
  role: ProjectRole | null;
  /** Flags, states, overrides, segments and tags. */
  canEdit: boolean;
  /** Project settings, environments and members. */
  canAdmin: boolean;
  isLoading: boolean;
}

export function useProjectPermissions(projectId: number): ProjectPermissions {
  const me = useMe();
  const project = useProject(projectId);
  const organisationId =
    project.data?.organisation ?? me.data?.projects.find((p) => p.id === projectId)?.organisation;
  const organisationRole = me.data?.organisations.find((org) => org.id === organisationId)?.role;
  const projectRole = me.data?.projects.find((p) => p.id === projectId)?.role ?? null;
  // Organisation admins administer every project of their organisation.
  const role: ProjectRole | null = organisationRole === "ADMIN" ? "ADMIN" : projectRole;
  const level = role ? rank[role] : 0;
  return { role, canEdit: level >= rank.EDITOR, canAdmin: level >= rank.ADMIN, isLoading: me.isPending };
}
