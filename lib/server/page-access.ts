import "server-only";
import { notFound } from "next/navigation";
import { ApiError } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/actor";
import { projectAccess, type ProjectAccess } from "@/lib/auth/permissions";
import { prisma } from "@/lib/db/client";
import { serializeEnvironment } from "@/lib/flags/environments";
import type { Environment as ApiEnvironment } from "@/lib/client/queries/types";

// Server-side checks for pages: a project, environment or feature that does not exist, or that
// the signed-in person cannot see, renders the not-found page (with a real 404 status) instead of
// an empty shell. Pages call `requirePageUser()` first and pass the user in.

export interface PageUser {
  id: number;
  email: string;
  name: string;
}

function parseId(value: string): number | null {
  return /^[1-9][0-9]{0,9}$/.test(value) && Number(value) <= 2_147_483_647 ? Number(value) : null;
}

function actorFor(user: PageUser): Actor {
  return { kind: "user", userId: user.id, email: user.email, label: user.email, viaCookie: true };
}

async function accessOrNull(user: PageUser, projectId: number): Promise<ProjectAccess | null> {
  try {
    return await projectAccess(actorFor(user), projectId);
  } catch (error) {
    if (error instanceof ApiError && error.code === "not_found") return null;
    throw error;
  }
}

/** The project of a `[projectId]` route and the person's role on it; 404 when unknown or hidden. */
export async function requireProjectPage(user: PageUser, projectIdParam: string) {
  const projectId = parseId(projectIdParam);
  const access = projectId === null ? null : await accessOrNull(user, projectId);
  if (!access || projectId === null) notFound();
  return { projectId, access };
}

/** The environment of an `[envApiKey]` route, as the API would serialise it; 404 unless it is in the project. */
export async function requireEnvironmentPage(
  projectId: number,
  apiKeyParam: string,
): Promise<ApiEnvironment> {
  const environment = await prisma.environment.findUnique({
    where: { apiKey: decodeURIComponent(apiKeyParam) },
  });
  if (!environment || environment.projectId !== projectId) notFound();
  return serializeEnvironment(environment);
}

/** The feature of a `[featureId]` route; 404 unless it belongs to the project. */
export async function requireFeaturePage(projectId: number, featureIdParam: string): Promise<number> {
  const featureId = parseId(featureIdParam);
  const feature =
    featureId === null
      ? null
      : await prisma.feature.findFirst({ where: { id: featureId, projectId }, select: { id: true } });
  if (!feature) notFound();
  return feature.id;
}

/** Where a project starts: its first environment's features, or environment management if it has none. */
export async function projectLandingPath(projectId: number): Promise<string> {
  const first = await prisma.environment.findFirst({ where: { projectId }, orderBy: { id: "asc" } });
  return first
    ? `/projects/${projectId}/environments/${encodeURIComponent(first.apiKey)}/features`
    : `/projects/${projectId}/environments`;
}
