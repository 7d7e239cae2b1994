import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { prisma } from "@/lib/db/client";
import type { Db } from "@/lib/db/types";
import type { ApiKey, ApiKeyRole } from "@/lib/generated/prisma/client";

// Organisation API keys: "fp_<random>", shown once. Only a SHA-256 of the key is stored (the key
// has 256 bits of entropy, so a fast hash is enough) plus a short prefix for recognising it. A key
// has a role (read-only, editor or admin in every project of its organisation) and may expire.

const LAST_USED_WRITE_INTERVAL_MS = 60_000;
const DURATION_UNITS_MS = { m: 60_000, h: 3600_000, d: 24 * 3600_000, w: 7 * 24 * 3600_000 } as const;

/** "30d", "12h", "90m", "2w" → milliseconds; null for anything else. */
export function parseDuration(text: string): number | null {
  const match = /^\s*(\d{1,6})\s*([mhdw])\s*$/i.exec(text);
  if (!match) return null;
  const amount = Number(match[1]);
  return amount > 0
    ? amount * DURATION_UNITS_MS[match[2]!.toLowerCase() as keyof typeof DURATION_UNITS_MS]
    : null;
}

/** "read-only", "read_only", "EDITOR", "admin" … → the role; null for anything else. */
export function parseApiKeyRole(text: string): ApiKeyRole | null {
  const normalised = text.trim().toUpperCase().replace(/-/g, "_");
  return normalised === "READ_ONLY" || normalised === "EDITOR" || normalised === "ADMIN" ? normalised : null;
}

export interface ApiKeyOptions {
  role?: ApiKeyRole;
  expiresAt?: Date | null;
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** Creates a key (admin and never expiring unless told); pass a transaction to create it together with its audit row. */
export async function createApiKey(
  organisationId: number,
  name: string,
  db: Db = prisma,
  options: ApiKeyOptions = {},
) {
  const key = `fp_${randomBytes(32).toString("base64url")}`;
  const row = await db.apiKey.create({
    data: {
      organisationId,
      name,
      prefix: key.slice(0, 10),
      keyHash: hashApiKey(key),
      role: options.role ?? "ADMIN",
      expiresAt: options.expiresAt ?? null,
    },
  });
  return { key, apiKey: row };
}

export type ApiKeyLookup =
  { ok: true; apiKey: ApiKey } | { ok: false; reason: "unknown" | "revoked" | "expired" };

/** The key's row if it may be used now; otherwise why not. */
export async function findActiveApiKey(key: string, now: Date = new Date()): Promise<ApiKeyLookup> {
  const row = await prisma.apiKey.findUnique({ where: { keyHash: hashApiKey(key) } });
  if (!row) return { ok: false, reason: "unknown" };
  if (row.revokedAt) return { ok: false, reason: "revoked" };
  if (row.expiresAt && row.expiresAt <= now) return { ok: false, reason: "expired" };
  // Recording use is best-effort and at most once a minute per key (the condition makes
  // simultaneous requests write once).
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_WRITE_INTERVAL_MS) {
    await prisma.apiKey
      .updateMany({
        where: {
          id: row.id,
          OR: [
            { lastUsedAt: null },
            { lastUsedAt: { lte: new Date(now.getTime() - LAST_USED_WRITE_INTERVAL_MS) } },
          ],
        },
        data: { lastUsedAt: now },
      })
      .catch(() => undefined);
  }
  return { ok: true, apiKey: row };
}
