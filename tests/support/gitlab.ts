import http from "node:http";
import type { AddressInfo } from "node:net";
import * as browseIssuesRoute from "@/app/api/v1/projects/[projectId]/gitlab/issues/route";
import * as browseMembersRoute from "@/app/api/v1/projects/[projectId]/gitlab/project-members/route";
import * as browseMergeRequestsRoute from "@/app/api/v1/projects/[projectId]/gitlab/merge-requests/route";
import * as browseProjectsRoute from "@/app/api/v1/projects/[projectId]/gitlab/projects/route";
import * as integrationRoute from "@/app/api/v1/projects/[projectId]/integrations/gitlab/[integrationId]/route";
import * as webhookRoute from "@/app/api/v1/projects/[projectId]/integrations/gitlab/[integrationId]/webhook/route";
import * as integrationsRoute from "@/app/api/v1/projects/[projectId]/integrations/gitlab/route";
import { prisma } from "@/lib/db/client";
import { call, queryString, type CallOptions } from "@/tests/support/api";

// Calls of the GitLab integration endpoints, and stand-ins for GitLab instances that are not there
// (a closed port) or are not GitLab (a plain web server).

type Auth = Pick<CallOptions, "apiKey" | "headers">;

export const gitlabApi = {
  list: (auth: Auth, projectId: number) =>
    call(integrationsRoute.GET, "GET", `/api/v1/projects/${projectId}/integrations/gitlab/`, {
      ...auth,
      params: { projectId },
    }),
  create: (auth: Auth, projectId: number, body: unknown) =>
    call(integrationsRoute.POST, "POST", `/api/v1/projects/${projectId}/integrations/gitlab/`, {
      ...auth,
      params: { projectId },
      body,
    }),
  get: (auth: Auth, projectId: number, integrationId: number) =>
    call(integrationRoute.GET, "GET", `/api/v1/projects/${projectId}/integrations/gitlab/${integrationId}/`, {
      ...auth,
      params: { projectId, integrationId },
    }),
  update: (auth: Auth, projectId: number, integrationId: number, body: unknown) =>
    call(
      integrationRoute.PATCH,
      "PATCH",
      `/api/v1/projects/${projectId}/integrations/gitlab/${integrationId}/`,
      {
        ...auth,
        params: { projectId, integrationId },
        body,
      },
    ),
  remove: (auth: Auth, projectId: number, integrationId: number) =>
    call(
      integrationRoute.DELETE,
      "DELETE",
      `/api/v1/projects/${projectId}/integrations/gitlab/${integrationId}/`,
      { ...auth, params: { projectId, integrationId } },
    ),
  registerWebhook: (auth: Auth, projectId: number, integrationId: number) =>
    call(
      webhookRoute.POST,
      "POST",
      `/api/v1/projects/${projectId}/integrations/gitlab/${integrationId}/webhook/`,
      { ...auth, params: { projectId, integrationId } },
    ),
  removeWebhook: (auth: Auth, projectId: number, integrationId: number) =>
    call(
      webhookRoute.DELETE,
      "DELETE",
      `/api/v1/projects/${projectId}/integrations/gitlab/${integrationId}/webhook/`,
      { ...auth, params: { projectId, integrationId } },
    ),
};

const browseRoutes = {
  projects: browseProjectsRoute.GET,
  issues: browseIssuesRoute.GET,
  "merge-requests": browseMergeRequestsRoute.GET,
  "project-members": browseMembersRoute.GET,
};

export function browse(
  auth: Auth,
  projectId: number,
  what: keyof typeof browseRoutes,
  query: Record<string, string | number> = {},
) {
  return call(
    browseRoutes[what],
    "GET",
    `/api/v1/projects/${projectId}/gitlab/${what}/${queryString(query)}`,
    { ...auth, params: { projectId } },
  );
}

export async function createProject(
  organisationId: number,
  name = `Project ${Math.random().toString(36).slice(2, 8)}`,
) {
  return prisma.project.create({ data: { name, organisationId } });
}

/** A loopback port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A web server that answers every path with an HTML page (a URL that is not a GitLab). */
export async function htmlServer(status = 200): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) =>
    res.writeHead(status, { "content-type": "text/html" }).end("<!doctype html><title>Intranet</title>"),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
