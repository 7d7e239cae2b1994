import "server-only";
import { notFound } from "@/lib/api/errors";
import { skipTake, type PaginationQuery } from "@/lib/api/pagination";
import type { Actor } from "@/lib/auth/actor";
import { requireEnvironmentRole, requireProjectRole } from "@/lib/auth/permissions";
import { changedFields, recordAudit } from "@/lib/audit/record-audit";
import { prisma } from "@/lib/db/client";
import type { Environment } from "@/lib/generated/prisma/client";
import { lockProjectStructure, newEnvironmentApiKey } from "@/lib/flags/projects";
import {
  isProductionName,
  type createEnvironmentBody,
  type updateEnvironmentBody,
} from "@/lib/validations/core";
import type { z } from "zod";

// Environments of a project, addressed by their api_key in URLs. Each one holds a state for every
// feature of the project.

export function serializeEnvironment(environment: Environment) {
  return {
    id: environment.id,
    name: environment.name,
    api_key: environment.apiKey,
    project: environment.projectId,
    protected: environment.protected,
    created_at: environment.createdAt.toISOString(),
  };
}

export async function listEnvironments(actor: Actor, projectId: number, page: PaginationQuery) {
  await requireProjectRole(actor, projectId, "VIEWER");
  const where = { projectId };
  const [count, rows] = await Promise.all([
    prisma.environment.count({ where }),
    prisma.environment.findMany({ where, orderBy: { id: "asc" }, ...skipTake(page) }),
  ]);
  return { count, rows };
}

/** Creates an environment and, in one statement, a state for every feature from its defaults. */
export async function createEnvironment(actor: Actor, input: z.infer<typeof createEnvironmentBody>) {
  const { project } = await requireProjectRole(actor, input.project, "ADMIN");
  return prisma.$transaction(async (tx) => {
    await lockProjectStructure(tx, project.id);
    const environment = await tx.environment.create({
      data: {
        projectId: project.id,
        name: input.name,
        apiKey: newEnvironmentApiKey(),
        protected: input.protected ?? isProductionName(input.name),
      },
    });
    const features = await tx.feature.findMany({
      where: { projectId: project.id },
      select: { id: true, defaultEnabled: true, valueType: true, initialValue: true },
    });
    await tx.featureState.createMany({
      data: features.map((feature) => ({
        featureId: feature.id,
        environmentId: environment.id,
        enabled: feature.defaultEnabled,
        valueType: feature.valueType,
        value: feature.initialValue,
      })),
    });
    await recordAudit(tx, actor, {
      organisationId: project.organisationId,
      projectId: project.id,
      environmentId: environment.id,
      action: "CREATE",
      entityType: "environment",
      entityId: environment.id,
      summary: `Created environment ${environment.name}`,
    });
    return environment;
  });
}

export async function getEnvironment(actor: Actor, environmentApiKey: string) {
  return (await requireEnvironmentRole(actor, environmentApiKey, "VIEWER")).environment;
}

export async function updateEnvironment(
  actor: Actor,
  environmentApiKey: string,
  input: z.infer<typeof updateEnvironmentBody>,
) {
  const { environment, project } = await requireEnvironmentRole(actor, environmentApiKey, "ADMIN");
  return prisma.$transaction(async (tx) => {
    const before = await tx.environment.findUnique({ where: { id: environment.id } });
    if (!before) throw notFound("Environment");
    const after = { name: input.name ?? before.name, protected: input.protected ?? before.protected };
    const changes = changedFields({ name: before.name, protected: before.protected }, after);
    if (Object.keys(changes).length === 0) return before;
    const updated = await tx.environment.update({ where: { id: environment.id }, data: after });
    await recordAudit(tx, actor, {
      organisationId: project.organisationId,
      projectId: project.id,
      environmentId: environment.id,
      action: "UPDATE",
      entityType: "environment",
      entityId: environment.id,
      summary:
        before.name !== updated.name
          ? `Renamed environment ${before.name} to ${updated.name}`
          : `${updated.protected ? "Protected" : "Unprotected"} environment ${updated.name}`,
      changes,
    });
    return updated;
  });
}

/** Deletes an environment with its feature states and segment overrides. */
export async function deleteEnvironment(actor: Actor, environmentApiKey: string) {
  const { environment, project } = await requireEnvironmentRole(actor, environmentApiKey, "ADMIN");
  await prisma.$transaction(async (tx) => {
    await tx.environment.delete({ where: { id: environment.id } });
    await recordAudit(tx, actor, {
      organisationId: project.organisationId,
      projectId: project.id,
      environmentId: environment.id,
      action: "DELETE",
      entityType: "environment",
      entityId: environment.id,
      summary: `Deleted environment ${environment.name}`,
    });
  });
}
