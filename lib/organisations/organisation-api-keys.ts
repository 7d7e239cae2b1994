import "server-only";
import { notFound } from "@/lib/api/errors";
import { skipTake, type PaginationQuery } from "@/lib/api/pagination";
import type { Actor } from "@/lib/auth/actor";
import { createApiKey } from "@/lib/auth/api-keys";
import { requireOrganisationAdmin } from "@/lib/auth/permissions";
import { recordAudit } from "@/lib/audit/record-audit";
import { prisma } from "@/lib/db/client";
import type { ApiKey, ApiKeyRole } from "@/lib/generated/prisma/client";

// Managing an organisation's API keys (organisation admins only). Revoked keys stay listed, with
// `revoked_at`, so the audit trail keeps meaning something. Role, expiry and last use are shown
// so admins can tell which keys still matter.

export function serializeApiKey(apiKey: ApiKey) {
  return {
    id: apiKey.id,
    name: apiKey.name,
    prefix: apiKey.prefix,
    role: apiKey.role,
    created_at: apiKey.createdAt.toISOString(),
    expires_at: apiKey.expiresAt?.toISOString() ?? null,
    last_used_at: apiKey.lastUsedAt?.toISOString() ?? null,
    revoked_at: apiKey.revokedAt?.toISOString() ?? null,
  };
}

export async function listApiKeys(actor: Actor, organisationId: number, page: PaginationQuery) {
  await requireOrganisationAdmin(actor, organisationId);
  const where = { organisationId };
  const [count, rows] = await Promise.all([
    prisma.apiKey.count({ where }),
    prisma.apiKey.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], ...skipTake(page) }),
  ]);
  return { count, rows };
}

/** Creates a key; the returned `key` is the only time the secret is available. */
export async function createOrganisationApiKey(
  actor: Actor,
  organisationId: number,
  name: string,
  options: { role: ApiKeyRole; expiresAt: Date | null },
) {
  await requireOrganisationAdmin(actor, organisationId);
  return prisma.$transaction(async (tx) => {
    const created = await createApiKey(organisationId, name, tx, options);
    await recordAudit(tx, actor, {
      organisationId,
      action: "CREATE",
      entityType: "api_key",
      entityId: created.apiKey.id,
      summary: `Created API key ${name}`,
      changes: {
        role: { from: null, to: options.role },
        expires_at: { from: null, to: options.expiresAt?.toISOString() ?? null },
      },
    });
    return created;
  });
}

/** Revokes a key. Revoking a revoked key changes nothing and succeeds. */
export async function revokeApiKey(actor: Actor, organisationId: number, keyId: number) {
  await requireOrganisationAdmin(actor, organisationId);
  await prisma.$transaction(async (tx) => {
    const apiKey = await tx.apiKey.findFirst({ where: { id: keyId, organisationId } });
    if (!apiKey) throw notFound("API key");
    // Conditional, so two simultaneous revocations record one change.
    const { count } = await tx.apiKey.updateMany({
      where: { id: keyId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (count === 0) return;
    await recordAudit(tx, actor, {
      organisationId,
      action: "DELETE",
      entityType: "api_key",
      entityId: keyId,
      summary: `Revoked API key ${apiKey.name}`,
    });
  });
}
