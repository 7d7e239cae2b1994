// GET /user, /version, /metadata, /personal_access_tokens/self[/associations].
import { projectSimple } from "../entities/projects";
import { currentUser, tokenSelf } from "../entities/users";
import { int } from "../http";
import type { RouteDef } from "../router";
import { list, ok, requireViewer } from "./common";
import { accessLevel, directProjectAccess, groupAccess } from "../permissions";

function versionBody(version: string) {
  return {
    version,
    revision: "6ac3ee1a1f0",
    kas: { enabled: false, externalUrl: null, externalK8sProxyUrl: null, version: null },
    enterprise: false,
  };
}

export const userRoutes: RouteDef[] = [
  {
    method: "GET",
    path: "/user",
    extraScopes: ["read_user"],
    handler: (ctx) => ok(currentUser(ctx.store, requireViewer(ctx))),
  },
  {
    method: "GET",
    path: "/version",
    extraScopes: ["read_user"],
    handler: (ctx) => ok(versionBody(ctx.store.version)),
  },
  {
    method: "GET",
    path: "/metadata",
    extraScopes: ["read_user"],
    minVersion: "15.2.0",
    handler: (ctx) => ok(versionBody(ctx.store.version)),
  },
  {
    method: "GET",
    path: "/personal_access_tokens/self",
    extraScopes: "any",
    minVersion: "15.5.0",
    handler: (ctx) => ok(tokenSelf(ctx.store, ctx.actor!.token)),
  },
  {
    method: "GET",
    path: "/personal_access_tokens/self/associations",
    extraScopes: "any",
    minVersion: "17.4.0",
    handler: (ctx) => {
      const user = requireViewer(ctx);
      const store = ctx.store;
      const min = int(ctx.input, "min_access_level") ?? 0;
      const groups = [...store.namespaces.values()].filter((n) => {
        const lvl =
          store.memberships.find(
            (m) => m.sourceType === "Namespace" && m.sourceId === n.id && m.userId === user.id,
          )?.accessLevel ?? 0;
        return lvl > 0 && lvl >= min;
      });
      const projects = [...store.projects.values()].filter((p) => {
        const lvl = accessLevel(store, user, p);
        return lvl > 0 && lvl >= min;
      });
      const body = {
        groups: groups.map((g) => ({
          id: g.id,
          web_url: `${store.instanceUrl}/groups/${g.fullPath}`,
          name: g.name,
          parent_id: g.parentId,
          organization_id: 1,
          access_levels: groupAccess(store, user.id, g.id),
          visibility: g.visibility,
        })),
        projects: projects.map((p) => ({
          ...projectSimple(store, p),
          access_levels: {
            project_access_level: directProjectAccess(store, user.id, p) || null,
            group_access_level: groupAccess(store, user.id, p.namespaceId) || null,
          },
        })),
      };
      // Both lists are paginated together in GitLab; the simulator pages the project list.
      const paged = list(ctx, body.projects, (p) => p);
      return { ...paged, body: { groups: body.groups, projects: paged.body } };
    },
  },
];
