// Project members: direct (`/members`) and effective incl. inherited (`/members/all`).
import { memberEntity } from "../entities/users";
import { errors, intList, str } from "../http";
import type { RouteContext, RouteDef } from "../router";
import type { Membership, Project, User } from "../types";
import { intParam, list, loadProject, ok } from "./common";

type Row = { user: User; membership: Membership };

function rows(ctx: RouteContext, project: Project, inherited: boolean): Row[] {
  const store = ctx.store;
  const groupIds = new Set(store.namespaceChain(project.namespaceId).map((n) => n.id));
  const best = new Map<number, Membership>();
  for (const m of store.memberships) {
    const direct = m.sourceType === "Project" && m.sourceId === project.id;
    const fromGroup = inherited && m.sourceType === "Namespace" && groupIds.has(m.sourceId);
    if (!direct && !fromGroup) continue;
    const prev = best.get(m.userId);
    if (!prev || m.accessLevel > prev.accessLevel) best.set(m.userId, m);
  }
  return [...best.values()]
    .map((membership) => ({ user: store.users.get(membership.userId), membership }))
    .filter((r): r is Row => r.user !== undefined)
    .sort((a, b) => a.user.id - b.user.id);
}

function filtered(ctx: RouteContext, all: Row[]): Row[] {
  const query = str(ctx.input, "query")?.toLowerCase();
  const userIds = intList(ctx.input, "user_ids");
  return all.filter(
    (r) =>
      (!query ||
        r.user.username.toLowerCase().includes(query) ||
        r.user.name.toLowerCase().includes(query) ||
        r.user.email.toLowerCase() === query) &&
      (!userIds || userIds.includes(r.user.id)),
  );
}

function routes(suffix: string, inherited: boolean): RouteDef[] {
  return [
    {
      method: "GET",
      path: `/projects/:id/${suffix}`,
      auth: "optional",
      handler: (ctx) => {
        const project = loadProject(ctx);
        return list(ctx, filtered(ctx, rows(ctx, project, inherited)), (r) =>
          memberEntity(ctx.store, r.user, r.membership),
        );
      },
    },
    {
      method: "GET",
      path: `/projects/:id/${suffix}/:user_id`,
      auth: "optional",
      handler: (ctx) => {
        const project = loadProject(ctx);
        const id = intParam(ctx, "user_id");
        const row = rows(ctx, project, inherited).find((r) => r.user.id === id);
        // `find_by!` → ActiveRecord::RecordNotFound, which Grape renders as a plain 404.
        if (!row) throw errors.notFound();
        return ok(memberEntity(ctx.store, row.user, row.membership));
      },
    },
  ];
}

export const memberRoutes: RouteDef[] = [...routes("members", false), ...routes("members/all", true)];
