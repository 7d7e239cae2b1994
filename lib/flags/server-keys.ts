import "server-only";
import { randomBytes } from "node:crypto";
import { notFound } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/actor";
import { hashApiKey } from "@/lib/auth/api-keys";
import { requireEnvironmentRole } from "@/lib/auth/permissions";
import { recordAudit } from "@/lib/audit/record-audit";
import { prisma } from "@/lib/db/client";
import type { ServerKey } from "@/lib/generated/prisma/client";

// Server-side environment keys ("ser.<random>") with which an SDK evaluating locally reads the
// environment document. Like organisation API keys: shown once at creation, only a SHA-256 stored
// (256 random bits make a fast hash enough), revoked rather than deleted so the list keeps history.

export const SERVER_KEY_PREFIX = "ser.";

export function serializeServerKey(row: ServerKey) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    active: row.revokedAt === null,
    created_at: row.createdAt.toISOString(),
    last_used_at: row.lastUsedAt?.toISOString() ?? null,
    revoked_at: row.revokedAt?.toISOString() ?? null,
  };
}

export async function listServerKeys(actor: Actor, environmentApiKey: string) {
  const { environment } = await requireEnvironmentRole(actor, environmentApiKey, "ADMIN");
  return prisma.serverKey.findMany({ where: { environmentId: environment.id }, orderBy: { id: "asc" } });
}

/** Creates a key; the answer is the only place the key itself ever appears. */
export async function createServerKey(actor: Actor, environmentApiKey: string, name: string) {
  const { environment, project } = await requireEnvironmentRole(actor, environmentApiKey, "ADMIN");
  const key = `${SERVER_KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  const row = await prisma.$transaction(async (tx) => {
    const created = await tx.serverKey.create({
      data: { environmentId: environment.id, name, prefix: key.slice(0, 10), keyHash: hashApiKey(key) },
    });
    await recordAudit(tx, actor, {
      organisationId: project.organisationId,
      projectId: project.id,
      environmentId: environment.id,
      action: "CREATE",
      entityType: "server_key",
      entityId: created.id,
      summary: `Created server-side key ${name} for ${environment.name}`,
    });
    return created;
  });
  return { key, row };
}

export async function revokeServerKey(actor: Actor, environmentApiKey: string, keyId: number) {
  const { environment, project } = await requireEnvironmentRole(actor, environmentApiKey, "ADMIN");
  await prisma.$transaction(async (tx) => {
    const row = await tx.serverKey.findFirst({ where: { id: keyId, environmentId: environment.id } });
    if (!row) throw notFound("Server-side key");
    if (row.revokedAt) return;
    await tx.serverKey.update({ where: { id: keyId }, data: { revokedAt: new Date() } });
    await recordAudit(tx, actor, {
      organisationId: project.organisationId,
      projectId: project.id,
      environmentId: environment.id,
      action: "DELETE",
      entityType: "server_key",
      entityId: keyId,
      summary: `Revoked server-side key ${row.name} of ${environment.name}`,
    });
  });
}

/** The environment a live server-side key belongs to, or null (for the SDK endpoints). */
export async function findActiveServerKey(key: string) {
  if (!key.startsWith(SERVER_KEY_PREFIX)) return null;
  const row = await prisma.serverKey.findUnique({ where: { keyHash: hashApiKey(key) } });
  if (!row || row.revokedAt) return null;
  // Recording use is best-effort and at most once a minute per key.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await prisma.serverKey
      .update({ where: { id: row.id }, data: { lastUsedAt: new Date() } })
      .catch(() => undefined);
  }
  return row;
}
