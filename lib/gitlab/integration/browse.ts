import "server-only";
import { ApiError } from "@/lib/api/errors";
import { pageUrl, type PaginationQuery } from "@/lib/api/pagination";
import type { Actor } from "@/lib/auth/actor";
import { requireProjectRole } from "@/lib/auth/permissions";
import { prisma } from "@/lib/db/client";
import type { GitLabIntegration } from "@/lib/generated/prisma/client";
import type {
  GitLabAuthor,
  GitLabClient,
  GitLabIssue,
  GitLabMergeRequest,
  GitLabPage,
  ItemListFilters,
} from "@/lib/gitlab/client/client";
import { askGitLab, findLiveIntegration, storedTokenClient } from "@/lib/gitlab/integration/integrations";
import type {
  GitLabIssueFilters,
  GitLabMemberFilters,
  GitLabMergeRequestFilters,
} from "@/lib/validations/gitlab";

// What the integration's token can see in GitLab, for pickers: projects, issues, merge requests and
// members. Editors may browse (they link items to features); GitLab's failures become API errors
// the UI shows inline (502 unreachable/failing, 503 + Retry-After when rate-limited).

export interface BrowsePage<T> {
  /** Null when GitLab did not count (above 10,000 matches). */
  count: number | null;
  next: string | null;
  previous: string | null;
  next_page: number | null;
  previous_page: number | null;
  total_pages: number | null;
  results: T[];
}

function browsePage<S, T>(
  url: URL,
  query: PaginationQuery,
  page: GitLabPage<S>,
  map: (item: S) => T,
): BrowsePage<T> {
  return {
    count: page.total,
    next: page.nextPage ? pageUrl(url, page.nextPage, query.page_size) : null,
    previous: page.prevPage ? pageUrl(url, page.prevPage, query.page_size) : null,
    next_page: page.nextPage,
    previous_page: page.prevPage,
    total_pages: page.totalPages,
    results: page.items.map(map),
  };
}

interface Browser {
  integration: GitLabIntegration;
  client: GitLabClient;
}

async function browser(actor: Actor, projectId: number): Promise<Browser> {
  await requireProjectRole(actor, projectId, "EDITOR");
  const integration = await findLiveIntegration(prisma, projectId);
  if (!integration)
    throw new ApiError("bad_request", "This project has no GitLab integration", { reason: "no_integration" });
  return { integration, client: storedTokenClient(integration) };
}

function targetProject({ integration }: Browser, requested: number | undefined): number {
  const id = requested ?? integration.gitlabProjectId;
  if (id === null || id === undefined) {
    throw new ApiError(
      "bad_request",
      "Say which GitLab project with ?gitlab_project_id=, or link one to the integration",
      { field: "query.gitlab_project_id" },
    );
  }
  return id;
}

/**
 * The project whose items to list: `gitlab_project_path` (a path someone typed in a reference such as
 * `group/project#12`, resolved to its id through GitLab), else `gitlab_project_id`, else the linked one.
 */
async function itemProject(
  session: Browser,
  query: { gitlab_project_id?: number; gitlab_project_path?: string },
): Promise<number> {
  if (!query.gitlab_project_path) return targetProject(session, query.gitlab_project_id);
  if (query.gitlab_project_id !== undefined) {
    throw new ApiError("bad_request", "Give gitlab_project_id or gitlab_project_path, not both", {
      field: "query.gitlab_project_path",
    });
  }
  const path = query.gitlab_project_path;
  const project = await askGitLab(session.integration, `GitLab project ${path}`, () =>
    session.client.projects.getByPath(path),
  );
  return project.id;
}

/** "#12", "!12" or "12" look an item up by its number; anything else is a text search. */
function itemSearch(text: string | undefined): Pick<ItemListFilters, "search" | "iids"> {
  const trimmed = text?.trim();
  if (!trimmed) return {};
  const number = /^[#!]?(\d{1,10})$/.exec(trimmed);
  if (number && Number(number[1]) <= 2_147_483_647) return { iids: [Number(number[1])] };
  return { search: trimmed };
}

/** A GitLab user as the API shows one (snake_case, as GitLab spells it). */
export const serializeGitLabUser = (value: GitLabAuthor | null) =>
  value ? { id: value.id, username: value.username, name: value.name, avatar_url: value.avatarUrl } : null;

function serializeIssue(issue: GitLabIssue | GitLabMergeRequest) {
  return {
    web_url: issue.webUrl,
    id: issue.id,
    iid: issue.iid,
    project_id: issue.projectId,
    title: issue.title,
    state: issue.state,
    labels: issue.labels,
    author: serializeGitLabUser(issue.author),
    updated_at: issue.updatedAt,
    confidential: issue.confidential ?? false,
  };
}

function serializeMergeRequest(mr: GitLabMergeRequest) {
  return { ...serializeIssue(mr), merged: mr.merged, draft: mr.draft };
}

export async function browseGitLabProjects(
  actor: Actor,
  projectId: number,
  url: URL,
  query: PaginationQuery & { search?: string },
) {
  const session = await browser(actor, projectId);
  const page = await askGitLab(session.integration, "The GitLab project list", () =>
    session.client.projects.list({
      page: query.page,
      perPage: query.page_size,
      search: query.search || undefined,
    }),
  );
  return browsePage(url, query, page, (project) => ({
    id: project.id,
    name: project.name,
    path_with_namespace: project.pathWithNamespace,
    web_url: project.webUrl,
  }));
}

export async function browseGitLabIssues(
  actor: Actor,
  projectId: number,
  url: URL,
  query: PaginationQuery & GitLabIssueFilters,
) {
  const session = await browser(actor, projectId);
  const gitlabProjectId = await itemProject(session, query);
  const page = await askGitLab(session.integration, `GitLab project ${gitlabProjectId}`, () =>
    session.client.issues.list(gitlabProjectId, {
      page: query.page,
      perPage: query.page_size,
      state: query.state === "all" ? undefined : query.state,
      ...itemSearch(query.search_text),
    }),
  );
  return browsePage(url, query, page, serializeIssue);
}

export async function browseGitLabMergeRequests(
  actor: Actor,
  projectId: number,
  url: URL,
  query: PaginationQuery & GitLabMergeRequestFilters,
) {
  const session = await browser(actor, projectId);
  const gitlabProjectId = await itemProject(session, query);
  const page = await askGitLab(session.integration, `GitLab project ${gitlabProjectId}`, () =>
    session.client.mergeRequests.list(gitlabProjectId, {
      page: query.page,
      perPage: query.page_size,
      state: query.state === "all" ? undefined : query.state,
      ...itemSearch(query.search_text),
    }),
  );
  return browsePage(url, query, page, serializeMergeRequest);
}

export async function browseGitLabProjectMembers(
  actor: Actor,
  projectId: number,
  url: URL,
  query: PaginationQuery & GitLabMemberFilters,
) {
  const session = await browser(actor, projectId);
  const gitlabProjectId = targetProject(session, query.gitlab_project_id);
  const page = await askGitLab(session.integration, `GitLab project ${gitlabProjectId}`, () =>
    session.client.members.list(gitlabProjectId, {
      page: query.page,
      perPage: query.page_size,
      query: query.search || undefined,
    }),
  );
  return browsePage(url, query, page, (member) => ({
    id: member.id,
    username: member.username,
    name: member.name,
    avatar_url: member.avatarUrl,
    access_level: member.accessLevel,
  }));
}
