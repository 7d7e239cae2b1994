import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { prisma } from "@/lib/db/client";
import type { Db } from "@/lib/db/types";

// Organisation API keys: "fp_<random>", shown once. Only a SHA-256 of the key is stored (the key
// has 256 bits of entropy, so a fast hash is enough) plus a short prefix for recognising it.

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** Creates a key; pass a transaction to create it together with its audit row. */
export async function createApiKey(organisationId: number, name: string, db: Db = prisma) {
  const key = `fp_${randomBytes(32).toString("base64url")}`;
  const row = await db.apiKey.create({
    data: { organisationId, name, prefix: key.slice(0, 10), keyHash: hashApiKey(key) },
  });
  return { key, apiKey: row };
}

export async function findActiveApiKey(key: string) {
  const row = await prisma.apiKey.findUnique({ where: { keyHash: hashApiKey(key) } });
  if (!row || row.revokedAt) return null;
  // Recording use is best-effort and at most once a minute per key.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await prisma.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } }).catch(() => undefined);
  }
  return row;
}
