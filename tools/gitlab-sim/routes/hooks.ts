// Project webhooks (Maintainer+). `token` is write-only; `push_events` defaults to true.
import { hookEntity } from "../entities/hooks";
import { bool, errors, has, type Params, str } from "../http";
import type { RouteContext, RouteDef } from "../router";
import type { SimStore } from "../store";
import type { Hook, Project } from "../types";
import { ACCESS_LEVEL } from "../types";
import { intParam, list, loadProject, ok, requireLevel } from "./common";

const FLAGS: [keyof Hook, string, boolean][] = [
  ["pushEvents", "push_events", true],
  ["tagPushEvents", "tag_push_events", false],
  ["issuesEvents", "issues_events", false],
  ["confidentialIssuesEvents", "confidential_issues_events", false],
  ["mergeRequestsEvents", "merge_requests_events", false],
  ["noteEvents", "note_events", false],
  ["confidentialNoteEvents", "confidential_note_events", false],
  ["pipelineEvents", "pipeline_events", false],
  ["wikiPageEvents", "wiki_page_events", false],
  ["jobEvents", "job_events", false],
  ["releasesEvents", "releases_events", false],
  ["emojiEvents", "emoji_events", false],
  ["resourceAccessTokenEvents", "resource_access_token_events", false],
  ["enableSslVerification", "enable_ssl_verification", true],
];

function validateUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw errors.badRequest({ url: ["must be a valid URL"] });
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw errors.badRequest({ url: ["is blocked: Only allowed schemes are http, https"] });
  }
  return url;
}

/** Creates a hook from API-style params (also used by the control API). */
export function createHook(store: SimStore, project: Project, input: Params): Hook {
  const url = str(input, "url");
  if (url === undefined) throw errors.missing("url");
  const hook: Hook = {
    id: store.nextId("hook"),
    projectId: project.id,
    url: validateUrl(url),
    token: str(input, "token") ?? null,
    name: str(input, "name") ?? null,
    description: str(input, "description") ?? null,
    pushEvents: true,
    tagPushEvents: false,
    issuesEvents: false,
    confidentialIssuesEvents: false,
    mergeRequestsEvents: false,
    noteEvents: false,
    confidentialNoteEvents: false,
    pipelineEvents: false,
    wikiPageEvents: false,
    jobEvents: false,
    releasesEvents: false,
    emojiEvents: false,
    resourceAccessTokenEvents: false,
    enableSslVerification: true,
    pushEventsBranchFilter: str(input, "push_events_branch_filter") ?? "",
    createdAt: new Date().toISOString(),
  };
  for (const [field, param, def] of FLAGS) {
    (hook as unknown as Record<string, unknown>)[field] = bool(input, param) ?? def;
  }
  store.hooks.set(hook.id, hook);
  return hook;
}

function loadHook(ctx: RouteContext, project: Project): Hook {
  const hook = ctx.store.hooks.get(intParam(ctx, "hook_id"));
  if (!hook || hook.projectId !== project.id) throw errors.notFound();
  return hook;
}

function maintainerProject(ctx: RouteContext): Project {
  const project = loadProject(ctx);
  requireLevel(ctx, project, ACCESS_LEVEL.maintainer);
  return project;
}

export const hookRoutes: RouteDef[] = [
  {
    method: "GET",
    path: "/projects/:id/hooks",
    handler: (ctx) => {
      const project = maintainerProject(ctx);
      return list(ctx, ctx.store.projectHooks(project.id), hookEntity);
    },
  },
  {
    method: "POST",
    path: "/projects/:id/hooks",
    handler: (ctx) => {
      const project = maintainerProject(ctx);
      if (ctx.store.projectHooks(project.id).length >= 100) {
        throw errors.badRequest({ base: ["Maximum number of project hooks (100) exceeded"] });
      }
      return ok(hookEntity(createHook(ctx.store, project, ctx.input)), 201);
    },
  },
  {
    method: "GET",
    path: "/projects/:id/hooks/:hook_id",
    handler: (ctx) => ok(hookEntity(loadHook(ctx, maintainerProject(ctx)))),
  },
  {
    method: "PUT",
    path: "/projects/:id/hooks/:hook_id",
    handler: (ctx) => {
      const hook = loadHook(ctx, maintainerProject(ctx));
      const input = ctx.input;
      const url = str(input, "url");
      if (url !== undefined) hook.url = validateUrl(url);
      if (has(input, "token")) hook.token = str(input, "token") || null;
      if (has(input, "name")) hook.name = str(input, "name") ?? null;
      if (has(input, "description")) hook.description = str(input, "description") ?? null;
      for (const [field, param] of FLAGS) {
        const v = bool(input, param);
        if (v !== undefined) (hook as unknown as Record<string, unknown>)[field] = v;
      }
      return ok(hookEntity(hook));
    },
  },
  {
    method: "DELETE",
    path: "/projects/:id/hooks/:hook_id",
    handler: (ctx) => {
      const hook = loadHook(ctx, maintainerProject(ctx));
      ctx.store.hooks.delete(hook.id);
      return { status: 204 };
    },
  },
];
