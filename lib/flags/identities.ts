import "server-only";
import { ApiError, notFound } from "@/lib/api/errors";
import { skipTake, type PaginationQuery } from "@/lib/api/pagination";
import type { Actor } from "@/lib/auth/actor";
import { requireEnvironmentRole } from "@/lib/auth/permissions";
import { recordAudit } from "@/lib/audit/record-audit";
import { prisma } from "@/lib/db/client";
import type { Db } from "@/lib/db/types";
import type { Identity, Prisma, Trait, TraitValueType } from "@/lib/generated/prisma/client";
import { MAX_TRAITS_PER_IDENTITY, type TraitValue } from "@/lib/validations/evaluation";

// Identities of an environment (an application's users) and their traits. Trait values keep the
// JSON type they were sent as (text, integer, float, boolean), which segment conditions compare by.

export function serializeIdentity(identity: Identity) {
  return {
    id: identity.id,
    identifier: identity.identifier,
    environment: identity.environmentId,
    created_at: identity.createdAt.toISOString(),
    last_seen_at: identity.lastSeenAt?.toISOString() ?? null,
  };
}

export function toStoredTrait(value: TraitValue): { valueType: TraitValueType; value: string } {
  if (typeof value === "boolean") return { valueType: "BOOLEAN", value: value ? "true" : "false" };
  if (typeof value === "number")
    return { valueType: Number.isInteger(value) ? "INTEGER" : "FLOAT", value: String(value) };
  return { valueType: "STRING", value };
}

export function fromStoredTrait(trait: Pick<Trait, "valueType" | "value">): TraitValue {
  if (trait.valueType === "BOOLEAN") return trait.value === "true";
  if (trait.valueType === "INTEGER" || trait.valueType === "FLOAT") {
    const number = Number(trait.value);
    return Number.isFinite(number) ? number : trait.value;
  }
  return trait.value;
}

const valueTypeNames = { STRING: "unicode", INTEGER: "int", FLOAT: "float", BOOLEAN: "bool" } as const;

export function serializeTrait(trait: Trait) {
  return {
    id: trait.id,
    trait_key: trait.key,
    trait_value: fromStoredTrait(trait),
    value_type: valueTypeNames[trait.valueType],
    created_at: trait.createdAt.toISOString(),
    updated_at: trait.updatedAt.toISOString(),
  };
}

export async function listIdentities(
  actor: Actor,
  environmentApiKey: string,
  page: PaginationQuery,
  search?: string,
) {
  const { environment } = await requireEnvironmentRole(actor, environmentApiKey, "VIEWER");
  const where: Prisma.IdentityWhereInput = {
    environmentId: environment.id,
    ...(search && { identifier: { contains: search, mode: "insensitive" } }),
  };
  const [count, rows] = await Promise.all([
    prisma.identity.count({ where }),
    prisma.identity.findMany({ where, orderBy: [{ identifier: "asc" }, { id: "asc" }], ...skipTake(page) }),
  ]);
  return { count, rows };
}

/** An identity of the environment (which the caller may see), or 404. */
export async function findIdentity(db: Db, environmentId: number, identityId: number) {
  const identity = await db.identity.findFirst({ where: { id: identityId, environmentId } });
  if (!identity) throw notFound("Identity");
  return identity;
}

export async function getIdentity(actor: Actor, environmentApiKey: string, identityId: number) {
  const { environment } = await requireEnvironmentRole(actor, environmentApiKey, "VIEWER");
  return findIdentity(prisma, environment.id, identityId);
}

export async function createIdentity(actor: Actor, environmentApiKey: string, identifier: string) {
  const { environment, project } = await requireEnvironmentRole(actor, environmentApiKey, "EDITOR");
  return prisma.$transaction(async (tx) => {
    const identity = await tx.identity.create({ data: { environmentId: environment.id, identifier } });
    await recordAudit(tx, actor, {
      organisationId: project.organisationId,
      projectId: project.id,
      environmentId: environment.id,
      action: "CREATE",
      entityType: "identity",
      entityId: identity.id,
      summary: `Created identity ${identifier} in ${environment.name}`,
    });
    return identity;
  });
}

/** Deletes an identity with its traits and overrides. */
export async function deleteIdentity(actor: Actor, environmentApiKey: string, identityId: number) {
  const { environment, project } = await requireEnvironmentRole(actor, environmentApiKey, "EDITOR");
  await prisma.$transaction(async (tx) => {
    const identity = await findIdentity(tx, environment.id, identityId);
    await tx.identity.delete({ where: { id: identityId } });
    await recordAudit(tx, actor, {
      organisationId: project.organisationId,
      projectId: project.id,
      environmentId: environment.id,
      action: "DELETE",
      entityType: "identity",
      entityId: identityId,
      summary: `Deleted identity ${identity.identifier} from ${environment.name}`,
    });
  });
}

export async function listTraits(actor: Actor, environmentApiKey: string, identityId: number) {
  const { environment } = await requireEnvironmentRole(actor, environmentApiKey, "VIEWER");
  await findIdentity(prisma, environment.id, identityId);
  return prisma.trait.findMany({ where: { identityId }, orderBy: { key: "asc" } });
}

function tooManyTraits(): ApiError {
  const issue = {
    field: "body.trait_key",
    issue: `An identity may have at most ${MAX_TRAITS_PER_IDENTITY} traits`,
  };
  return new ApiError("unprocessable_entity", `Invalid input: ${issue.field}: ${issue.issue}`, [issue]);
}

/** Sets a trait (creating or replacing it, as Flagsmith's POST does); at most 200 per identity. */
export async function setTrait(
  actor: Actor,
  environmentApiKey: string,
  identityId: number,
  key: string,
  value: TraitValue,
) {
  const { environment, project } = await requireEnvironmentRole(actor, environmentApiKey, "EDITOR");
  return prisma.$transaction(async (tx) => {
    // The identity's row lock queues trait writers, so two of them cannot both pass the limit.
    const [locked] = await tx.$queryRaw<{ identifier: string }[]>`
      SELECT identifier FROM identities WHERE id = ${identityId} AND environment_id = ${environment.id} FOR UPDATE`;
    if (!locked) throw notFound("Identity");
    const before = await tx.trait.findUnique({ where: { identityId_key: { identityId, key } } });
    if (!before && (await tx.trait.count({ where: { identityId } })) >= MAX_TRAITS_PER_IDENTITY)
      throw tooManyTraits();
    const stored = toStoredTrait(value);
    if (before && before.valueType === stored.valueType && before.value === stored.value) return before;
    const trait = before
      ? await tx.trait.update({ where: { id: before.id }, data: { ...stored, updatedAt: new Date() } })
      : await tx.trait.create({ data: { identityId, key, ...stored } });
    await recordAudit(tx, actor, {
      organisationId: project.organisationId,
      projectId: project.id,
      environmentId: environment.id,
      action: before ? "UPDATE" : "CREATE",
      entityType: "trait",
      entityId: trait.id,
      summary: `Set trait ${key} of identity ${locked.identifier} in ${environment.name} to ${JSON.stringify(value)}`,
      changes: { [key]: { from: before ? fromStoredTrait(before) : null, to: value } },
    });
    return trait;
  });
}

async function findTrait(db: Db, environmentId: number, identityId: number, traitId: number) {
  const trait = await db.trait.findFirst({
    where: { id: traitId, identityId, identity: { environmentId } },
    include: { identity: true },
  });
  if (!trait) throw notFound("Trait");
  return trait;
}

export async function updateTrait(
  actor: Actor,
  environmentApiKey: string,
  identityId: number,
  traitId: number,
  value: TraitValue,
) {
  const { environment } = await requireEnvironmentRole(actor, environmentApiKey, "EDITOR");
  const trait = await findTrait(prisma, environment.id, identityId, traitId);
  return setTrait(actor, environmentApiKey, identityId, trait.key, value);
}

export async function deleteTrait(
  actor: Actor,
  environmentApiKey: string,
  identityId: number,
  traitId: number,
) {
  const { environment, project } = await requireEnvironmentRole(actor, environmentApiKey, "EDITOR");
  await prisma.$transaction(async (tx) => {
    const trait = await findTrait(tx, environment.id, identityId, traitId);
    await tx.trait.delete({ where: { id: traitId } });
    await recordAudit(tx, actor, {
      organisationId: project.organisationId,
      projectId: project.id,
      environmentId: environment.id,
      action: "DELETE",
      entityType: "trait",
      entityId: traitId,
      summary: `Removed trait ${trait.key} from identity ${trait.identity.identifier} in ${environment.name}`,
      changes: { [trait.key]: { from: fromStoredTrait(trait), to: null } },
    });
  });
}
