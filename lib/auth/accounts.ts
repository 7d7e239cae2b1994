import "server-only";
import { ApiError } from "@/lib/api/errors";
import { hashPassword } from "@/lib/auth/password";
import { prisma } from "@/lib/db/client";

// Creating people: the first administrator (first-run sign-up or `flagpost create-admin`) and
// further users added by an organisation admin.

const alreadySetUp = () => new ApiError("conflict", "Flagpost is already set up; sign in instead");

export async function hasAnyUser(): Promise<boolean> {
  return (await prisma.user.count()) > 0;
}

interface FirstAdminInput {
  email: string;
  password: string;
  name?: string;
  organisationName?: string;
}

/**
 * Creates a user who administers an organisation. With `onlyIfFirst`, refuses once any user exists
 * (first-run sign-up); two simultaneous sign-ups cannot both succeed.
 */
export async function createAdmin(
  input: FirstAdminInput,
  options: { onlyIfFirst: boolean; newOrganisation?: boolean },
) {
  const passwordHash = await hashPassword(input.password);
  return prisma.$transaction(async (tx) => {
    // Serialises concurrent first-run sign-ups on PostgreSQL (a no-op cost on the embedded database).
    await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock(7345001)");
    if (options.onlyIfFirst && (await tx.user.count()) > 0) {
      throw alreadySetUp();
    }
    if (await tx.user.findUnique({ where: { email: input.email } })) {
      throw new ApiError("conflict", `A user with email ${input.email} already exists`);
    }
    const user = await tx.user.create({ data: { email: input.email, name: input.name ?? "", passwordHash } });
    const existing = options.newOrganisation
      ? null
      : await tx.organisation.findFirst({ orderBy: { id: "asc" } });
    const organisation =
      existing ??
      (await tx.organisation.create({ data: { name: input.organisationName ?? "Default organisation" } }));
    await tx.organisationMember.create({
      data: { organisationId: organisation.id, userId: user.id, role: "ADMIN" },
    });
    await tx.auditLog.create({
      data: {
        organisationId: organisation.id,
        actorUserId: user.id,
        actorLabel: user.email,
        action: "CREATE",
        entityType: "user",
        entityId: String(user.id),
        summary: `Created administrator ${user.email}`,
      },
    });
    return { user, organisation };
  });
}

/** First-run sign-up (POST /api/v1/setup/): the first administrator, refused once anyone exists. */
export async function completeFirstRunSetup(input: FirstAdminInput) {
  // Cheap early refusal, so a set-up instance does not hash passwords for anonymous callers.
  if (await hasAnyUser()) throw alreadySetUp();
  return createAdmin(input, { onlyIfFirst: true });
}
