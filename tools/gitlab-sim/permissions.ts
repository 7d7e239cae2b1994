// Membership and permissions: a user's role in a project (direct or inherited from ancestor groups,
// the highest wins, as in GitLab) and what that role may read.
import { SimError, type SimStore } from "./store";
import type { Issue, Membership, Project, User } from "./types";
import { ACCESS_LEVEL } from "./types";
import { nowIso } from "./util";

export function addMember(
  store: SimStore,
  sourceType: "Project" | "Namespace",
  sourceId: number,
  userId: number,
  accessLevel: number,
): Membership {
  store.requireUser(userId);
  const existing = store.memberships.find(
    (m) => m.sourceType === sourceType && m.sourceId === sourceId && m.userId === userId,
  );
  if (existing) {
    existing.accessLevel = accessLevel;
    return existing;
  }
  const m: Membership = {
    sourceType,
    sourceId,
    userId,
    accessLevel,
    createdAt: nowIso(),
    createdById: 1,
    expiresAt: null,
  };
  store.memberships.push(m);
  return m;
}

export function removeMember(
  store: SimStore,
  sourceType: Membership["sourceType"],
  sourceId: number,
  userId: number,
): void {
  const before = store.memberships.length;
  store.memberships = store.memberships.filter(
    (m) => !(m.sourceType === sourceType && m.sourceId === sourceId && m.userId === userId),
  );
  if (store.memberships.length === before) throw new SimError(`user ${userId} is not a direct member`);
}

export function directProjectAccess(store: SimStore, userId: number, project: Project): number {
  let level = 0;
  for (const m of store.memberships) {
    if (m.sourceType === "Project" && m.sourceId === project.id && m.userId === userId) {
      level = Math.max(level, m.accessLevel);
    }
  }
  return level;
}

export function groupAccess(store: SimStore, userId: number, namespaceId: number): number {
  const ids = new Set(store.namespaceChain(namespaceId).map((n) => n.id));
  let level = 0;
  for (const m of store.memberships) {
    if (m.sourceType === "Namespace" && ids.has(m.sourceId) && m.userId === userId) {
      level = Math.max(level, m.accessLevel);
    }
  }
  return level;
}

/** Effective role of a user in a project: direct membership or inherited from ancestor groups. */
export function accessLevel(store: SimStore, user: User | null, project: Project): number {
  if (!user) return 0;
  return Math.max(
    directProjectAccess(store, user.id, project),
    groupAccess(store, user.id, project.namespaceId),
  );
}

/** Role used for permission checks (administrators can do everything). */
export function effectiveLevel(store: SimStore, user: User | null, project: Project): number {
  if (user?.isAdmin) return ACCESS_LEVEL.owner;
  return accessLevel(store, user, project);
}

export function canReadProject(store: SimStore, user: User | null, project: Project): boolean {
  if (project.visibility === "public") return true;
  if (!user) return false;
  if (project.visibility === "internal" && !user.bot) return true;
  return effectiveLevel(store, user, project) >= ACCESS_LEVEL.guest;
}

export function canReadIssue(store: SimStore, user: User | null, project: Project, issue: Issue): boolean {
  if (!canReadProject(store, user, project) || !project.issuesEnabled) return false;
  if (!issue.confidential) return true;
  if (!user) return false;
  return (
    effectiveLevel(store, user, project) >= ACCESS_LEVEL.planner ||
    issue.authorId === user.id ||
    issue.assigneeIds.includes(user.id)
  );
}

export function canReadMergeRequests(store: SimStore, user: User | null, project: Project): boolean {
  if (!canReadProject(store, user, project) || !project.mergeRequestsEnabled) return false;
  if (project.visibility !== "private") return true;
  return effectiveLevel(store, user, project) >= ACCESS_LEVEL.reporter;
}
