import "server-only";
import { getToken } from "next-auth/jwt";
import { ApiError } from "@/lib/api/errors";
import { findActiveApiKey } from "@/lib/auth/api-keys";
import { sessionSecret, usesSecureCookies } from "@/lib/auth/auth-options";
import { prisma } from "@/lib/db/client";
import type { ApiKeyRole } from "@/lib/generated/prisma/client";

// Who is calling: a signed-in person (session cookie) or an organisation API key
// (`Authorization: Api-Key <key>`), which acts with its role in every project of its organisation.

export type Actor =
  | { kind: "user"; userId: number; email: string; label: string; viaCookie: true }
  | {
      kind: "apiKey";
      apiKeyId: number;
      organisationId: number;
      role: ApiKeyRole;
      label: string;
      viaCookie: false;
    };

const REFUSED_KEY_MESSAGES = {
  unknown: "Invalid or revoked API key",
  revoked: "Invalid or revoked API key",
  expired: "This API key has expired; ask an organisation admin for a new one",
} as const;

function parseCookies(header: string | null): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const index = part.indexOf("=");
    if (index < 0) continue;
    const name = part.slice(0, index).trim();
    if (!name) continue;
    try {
      cookies.set(name, decodeURIComponent(part.slice(index + 1).trim()));
    } catch {
      cookies.set(name, part.slice(index + 1).trim());
    }
  }
  return cookies;
}

/** The signed-in user id from a request's session cookie, or null. */
export async function sessionUserId(headers: Headers): Promise<number | null> {
  const token = await getToken({
    req: { cookies: parseCookies(headers.get("cookie")), headers: Object.fromEntries(headers) } as never,
    secret: sessionSecret(),
    secureCookie: usesSecureCookies(),
  }).catch(() => null);
  const id = Number(token?.sub);
  return Number.isInteger(id) && id > 0 ? id : null;
}

/** Resolves the caller; throws 401 when a credential is present but invalid or missing. */
export async function resolveActor(headers: Headers): Promise<Actor> {
  const authorization = headers.get("authorization");
  if (authorization) {
    const match = /^Api-Key\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw new ApiError("unauthorized", "Unsupported Authorization header; use `Api-Key <key>`");
    const found = await findActiveApiKey(match[1]!);
    if (!found.ok) throw new ApiError("unauthorized", REFUSED_KEY_MESSAGES[found.reason]);
    const key = found.apiKey;
    return {
      kind: "apiKey",
      apiKeyId: key.id,
      organisationId: key.organisationId,
      role: key.role,
      label: `API key ${key.name}`,
      viaCookie: false,
    };
  }
  const userId = await sessionUserId(headers);
  if (userId) {
    const user = await prisma.user.findUnique({ where: { id: userId }, select: { id: true, email: true } });
    if (user) return { kind: "user", userId: user.id, email: user.email, label: user.email, viaCookie: true };
  }
  throw new ApiError("unauthorized", "Sign in or send an `Authorization: Api-Key <key>` header");
}
