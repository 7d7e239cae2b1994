// GET /projects and GET /projects/:id.
import { projectFull, projectSimple } from "../entities/projects";
import { bool, int, oneOf, str } from "../http";
import type { RouteDef } from "../router";
import type { Project } from "../types";
import { ACCESS_LEVEL } from "../types";
import { list, loadProject, matchesSearch, ok, sortBy, viewer } from "./common";
import { accessLevel, canReadProject } from "../permissions";

const ORDER_BY = [
  "id",
  "name",
  "path",
  "created_at",
  "updated_at",
  "last_activity_at",
  "star_count",
  "similarity",
  "storage_size",
  "repository_size",
  "wiki_size",
  "packages_size",
] as const;

export const projectRoutes: RouteDef[] = [
  {
    method: "GET",
    path: "/projects",
    auth: "optional",
    handler: (ctx) => {
      const store = ctx.store;
      const user = viewer(ctx);
      const input = ctx.input;
      const membership = bool(input, "membership") ?? false;
      const owned = bool(input, "owned") ?? false;
      const minAccess = int(input, "min_access_level");
      const archived = bool(input, "archived");
      const visibility = oneOf(input, "visibility", ["private", "internal", "public"] as const);
      const search = str(input, "search");
      const searchNamespaces = bool(input, "search_namespaces") ?? false;
      const simple = (bool(input, "simple") ?? false) || !user;
      const orderBy = oneOf(input, "order_by", ORDER_BY) ?? "created_at";
      const sort = oneOf(input, "sort", ["asc", "desc"] as const) ?? "desc";
      const withIssues = bool(input, "with_issues_enabled") ?? false;
      const withMrs = bool(input, "with_merge_requests_enabled") ?? false;
      const active = bool(input, "active");

      let projects: Project[] = [...store.projects.values()];
      if (membership || minAccess !== undefined || owned) {
        const min = owned ? ACCESS_LEVEL.owner : (minAccess ?? ACCESS_LEVEL.guest);
        projects = projects.filter((p) => accessLevel(store, user, p) >= min);
      } else {
        projects = projects.filter((p) => user?.isAdmin || canReadProject(store, user, p));
      }
      if (archived !== undefined) projects = projects.filter((p) => p.archived === archived);
      if (active !== undefined) projects = projects.filter((p) => p.archived !== active);
      if (visibility) projects = projects.filter((p) => p.visibility === visibility);
      if (withIssues) projects = projects.filter((p) => p.issuesEnabled);
      if (withMrs) projects = projects.filter((p) => p.mergeRequestsEnabled);
      if (search !== undefined) {
        projects = projects.filter((p) =>
          matchesSearch(search, [
            p.path,
            p.name,
            p.description,
            ...(searchNamespaces ? [store.projectFullPath(p), store.projectNameWithNamespace(p)] : []),
          ]),
        );
      }
      const key = (p: Project): string | number => {
        switch (orderBy) {
          case "id":
            return p.id;
          case "name":
            return p.name.toLowerCase();
          case "path":
            return p.path.toLowerCase();
          case "updated_at":
          case "last_activity_at":
            return p.lastActivityAt;
          case "star_count":
            return p.starCount;
          default:
            return p.createdAt;
        }
      };
      const sorted = sortBy(projects, key, sort, (p) => p.id);
      return list(ctx, sorted, (p) => (simple ? projectSimple(store, p) : projectFull(store, p, user)));
    },
  },
  {
    method: "GET",
    path: "/projects/:id",
    auth: "optional",
    handler: (ctx) => ok(projectFull(ctx.store, loadProject(ctx), viewer(ctx))),
  },
];
