// Project labels.
import { createLabel } from "../domain/labels";
import { labelEntity } from "../entities/labels";
import { ApiError, bool, errors, has, int, str } from "../http";
import type { RouteContext, RouteDef } from "../router";
import type { Label, Project } from "../types";
import { ACCESS_LEVEL } from "../types";
import { normaliseColor } from "../util";
import { list, loadProject, ok, requireLevel } from "./common";

function findLabel(ctx: RouteContext, project: Project): Label {
  const ref = ctx.params.label_id ?? "";
  const label = /^\d+$/.test(ref)
    ? ctx.store.labels.get(Number(ref))
    : ctx.store.labelByTitle(project.id, ref);
  if (!label || label.projectId !== project.id) throw errors.notFound("Label");
  return label;
}

function validateTitle(title: string): string {
  const t = title.trim();
  if (!t) throw errors.badRequest({ title: ["can't be blank"] });
  if (t.includes(",")) throw errors.badRequest({ title: ["is invalid"] });
  if (t.length > 255) throw errors.badRequest({ title: ["is too long (maximum is 255 characters)"] });
  return t;
}

function validateColor(color: string): string {
  const c = normaliseColor(color);
  if (!c) throw errors.badRequest({ color: ["must be a valid color code"] });
  return c;
}

export const labelRoutes: RouteDef[] = [
  {
    method: "GET",
    path: "/projects/:id/labels",
    auth: "optional",
    handler: (ctx) => {
      const project = loadProject(ctx);
      const search = str(ctx.input, "search")?.toLowerCase();
      const withCounts = bool(ctx.input, "with_counts") ?? false;
      let labels = ctx.store.projectLabels(project.id);
      if (search) {
        labels = labels.filter(
          (l) =>
            l.title.toLowerCase().includes(search) || (l.description ?? "").toLowerCase().includes(search),
        );
      }
      return list(ctx, labels, (l) => labelEntity(ctx.store, l, { withCounts }));
    },
  },
  {
    method: "GET",
    path: "/projects/:id/labels/:label_id",
    auth: "optional",
    handler: (ctx) => {
      const project = loadProject(ctx);
      return ok(labelEntity(ctx.store, findLabel(ctx, project)));
    },
  },
  {
    method: "POST",
    path: "/projects/:id/labels",
    handler: (ctx) => {
      const project = loadProject(ctx);
      const name = str(ctx.input, "name");
      if (name === undefined) throw errors.missing("name");
      const color = str(ctx.input, "color");
      if (color === undefined) throw errors.missing("color");
      requireLevel(ctx, project, ACCESS_LEVEL.planner);
      const title = validateTitle(name);
      const hex = validateColor(color);
      if (ctx.store.labelByTitle(project.id, title))
        throw new ApiError(409, { message: "Label already exists" });
      const label = createLabel(ctx.store, project, {
        name: title,
        color: hex,
        description: str(ctx.input, "description") ?? null,
        priority: int(ctx.input, "priority") ?? null,
      });
      return ok(labelEntity(ctx.store, label), 201);
    },
  },
  {
    method: "PUT",
    path: "/projects/:id/labels/:label_id",
    handler: (ctx) => {
      const project = loadProject(ctx);
      const label = findLabel(ctx, project);
      requireLevel(ctx, project, ACCESS_LEVEL.planner);
      const input = ctx.input;
      if (!["new_name", "color", "description", "priority"].some((k) => has(input, k))) {
        throw new ApiError(400, {
          error:
            "new_name, color, description, priority, archived are missing, at least one parameter must be provided",
        });
      }
      const newName = str(input, "new_name");
      if (newName !== undefined) {
        const title = validateTitle(newName);
        const clash = ctx.store.labelByTitle(project.id, title);
        if (clash && clash.id !== label.id) throw errors.badRequest({ title: ["has already been taken"] });
        label.title = title;
      }
      const color = str(input, "color");
      if (color !== undefined) label.color = validateColor(color);
      if (has(input, "description")) label.description = str(input, "description") ?? null;
      if (has(input, "priority")) label.priority = int(input, "priority") ?? null;
      label.updatedAt = new Date().toISOString();
      return ok(labelEntity(ctx.store, label));
    },
  },
  {
    method: "DELETE",
    path: "/projects/:id/labels/:label_id",
    handler: (ctx) => {
      const project = loadProject(ctx);
      const label = findLabel(ctx, project);
      requireLevel(ctx, project, ACCESS_LEVEL.planner);
      ctx.store.labels.delete(label.id);
      for (const i of ctx.store.issues.values()) i.labelIds = i.labelIds.filter((id) => id !== label.id);
      for (const m of ctx.store.mergeRequests.values())
        m.labelIds = m.labelIds.filter((id) => id !== label.id);
      return { status: 204 };
    },
  },
];
