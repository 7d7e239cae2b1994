// REST API v4 representations of namespaces and projects (simple and full).
import type { SimStore } from "../store";
import type { Namespace, Project, User } from "../types";
import { userBasic } from "./users";
import { directProjectAccess, groupAccess } from "../permissions";

function namespaceEntity(store: SimStore, ns: Namespace) {
  return {
    id: ns.id,
    name: ns.name,
    path: ns.path,
    kind: ns.kind,
    full_path: ns.fullPath,
    parent_id: ns.parentId,
    avatar_url: null,
    web_url:
      ns.kind === "group"
        ? `${store.instanceUrl}/groups/${ns.fullPath}`
        : `${store.instanceUrl}/${ns.fullPath}`,
  };
}

export function projectSimple(store: SimStore, p: Project) {
  const fullPath = store.projectFullPath(p);
  const webUrl = store.projectWebUrl(p);
  return {
    id: p.id,
    description: p.description,
    name: p.name,
    name_with_namespace: store.projectNameWithNamespace(p),
    path: p.path,
    path_with_namespace: fullPath,
    created_at: p.createdAt,
    default_branch: p.defaultBranch,
    tag_list: p.topics,
    topics: p.topics,
    ssh_url_to_repo: `git@${store.host}:${fullPath}.git`,
    http_url_to_repo: `${webUrl}.git`,
    web_url: webUrl,
    readme_url: `${webUrl}/-/blob/${p.defaultBranch}/README.md`,
    forks_count: 0,
    avatar_url: null,
    star_count: p.starCount,
    last_activity_at: p.lastActivityAt,
    visibility: p.visibility,
    namespace: namespaceEntity(store, store.projectNamespace(p)),
  };
}

export function projectFull(store: SimStore, p: Project, viewer: User | null) {
  const api = `${store.instanceUrl}/api/v4/projects/${p.id}`;
  const ns = store.projectNamespace(p);
  const direct = viewer ? directProjectAccess(store, viewer.id, p) : 0;
  const group = viewer && ns.kind === "group" ? groupAccess(store, viewer.id, ns.id) : 0;
  const openIssues = [...store.issues.values()].filter(
    (i) => i.projectId === p.id && i.state === "opened",
  ).length;
  const owner = ns.kind === "user" ? store.userByUsername(ns.path) : undefined;
  return {
    ...projectSimple(store, p),
    container_registry_image_prefix: `registry.${store.host}/${store.projectFullPath(p).toLowerCase()}`,
    _links: {
      self: api,
      issues: `${api}/issues`,
      merge_requests: `${api}/merge_requests`,
      repo_branches: `${api}/repository/branches`,
      labels: `${api}/labels`,
      events: `${api}/events`,
      members: `${api}/members`,
      cluster_agents: `${api}/cluster_agents`,
    },
    packages_enabled: true,
    empty_repo: false,
    archived: p.archived,
    ...(owner ? { owner: userBasic(store, owner) } : {}),
    resolve_outdated_diff_discussions: false,
    container_registry_enabled: true,
    issues_enabled: p.issuesEnabled,
    merge_requests_enabled: p.mergeRequestsEnabled,
    wiki_enabled: true,
    jobs_enabled: true,
    snippets_enabled: true,
    issues_access_level: p.issuesEnabled ? "enabled" : "disabled",
    merge_requests_access_level: p.mergeRequestsEnabled ? "enabled" : "disabled",
    repository_access_level: "enabled",
    creator_id: p.creatorId,
    ...(p.issuesEnabled ? { open_issues_count: openIssues } : {}),
    description_html: p.description ? `<p>${p.description}</p>` : "",
    updated_at: p.lastActivityAt,
    shared_with_groups: [],
    only_allow_merge_if_pipeline_succeeds: false,
    request_access_enabled: true,
    permissions: {
      project_access: direct ? { access_level: direct, notification_level: 3 } : null,
      group_access: group ? { access_level: group, notification_level: 3 } : null,
    },
  };
}
