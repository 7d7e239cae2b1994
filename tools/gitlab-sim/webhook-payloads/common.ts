// Blocks every webhook body shares: user, project, repository and label in hook format. `modern` follows
// current gitlab.com captures; `legacy` follows GitLab ~10.x (no event_type or project.id,
// `YYYY-MM-DD HH:MM:SS UTC` timestamps, URLs without `/-/`).
import type { SimStore } from "../store";
import type { Hook, Label, PayloadStyle, Project, User } from "../types";
import { gravatar, legacyTimestamp } from "../util";

export interface BuiltEvent {
  projectId: number;
  /** `X-Gitlab-Event` header value. */
  header: string;
  objectKind: string;
  action: string | null;
  payload: Record<string, unknown>;
  accepts(hook: Hook): boolean;
}

export type Json = Record<string, unknown>;

export function ts(style: PayloadStyle, iso: string | null): string | null {
  if (iso === null) return null;
  return style === "legacy" ? legacyTimestamp(iso) : iso;
}

export function hookUser(user: User | undefined, style: PayloadStyle): Json {
  if (!user) return { name: "Ghost User", username: "ghost", avatar_url: null };
  const base = {
    id: user.id,
    name: user.name,
    username: user.username,
    avatar_url: gravatar(user.email),
    email: user.publicEmail ?? "[REDACTED]",
  };
  if (style === "legacy") return { name: base.name, username: base.username, avatar_url: base.avatar_url };
  return base;
}

export function hookProject(store: SimStore, p: Project, style: PayloadStyle): Json {
  const fullPath = store.projectFullPath(p);
  const webUrl = store.projectWebUrl(p);
  const ssh = `git@${store.host}:${fullPath}.git`;
  const visibilityLevel = p.visibility === "public" ? 20 : p.visibility === "internal" ? 10 : 0;
  const block: Json = {
    id: p.id,
    name: p.name,
    description: p.description ?? "",
    web_url: webUrl,
    avatar_url: null,
    git_ssh_url: ssh,
    git_http_url: `${webUrl}.git`,
    namespace: store.projectNamespace(p).name,
    visibility_level: visibilityLevel,
    path_with_namespace: fullPath,
    default_branch: p.defaultBranch,
    ci_config_path: style === "legacy" ? null : "",
    homepage: webUrl,
    url: ssh,
    ssh_url: ssh,
    http_url: `${webUrl}.git`,
  };
  if (style === "legacy") delete block.id;
  return block;
}

export function repository(store: SimStore, p: Project): Json {
  return {
    name: p.name,
    url: `git@${store.host}:${store.projectFullPath(p)}.git`,
    description: p.description ?? "",
    homepage: store.projectWebUrl(p),
  };
}

export function hookLabel(l: Label, style: PayloadStyle): Json {
  return {
    id: l.id,
    title: l.title,
    color: l.color,
    project_id: l.projectId,
    created_at: ts(style, l.createdAt),
    updated_at: ts(style, l.updatedAt),
    template: false,
    description: l.description,
    type: "ProjectLabel",
    group_id: null,
  };
}
