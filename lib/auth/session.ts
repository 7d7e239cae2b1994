import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { sessionUserId } from "@/lib/auth/actor";
import { hasAnyUser } from "@/lib/auth/accounts";
import { REQUESTED_PATH_HEADER, withCallback } from "@/lib/auth/callback-url";
import { ensureDatabase, prisma } from "@/lib/db/client";

// Session lookups for server components and server actions. Pages call `requirePageUser()`
// themselves; nothing relies on middleware alone.

export async function currentUser() {
  // headers() first: it marks the page dynamic, so `next build` stops prerendering here instead of
  // opening the database (a build must not create .data/ or touch the secret key).
  const requestHeaders = await headers();
  await ensureDatabase();
  const userId = await sessionUserId(requestHeaders);
  if (!userId) return null;
  return prisma.user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true } });
}

/**
 * The signed-in user, or a redirect to first-run setup (no users yet) or to the sign-in page, both
 * carrying the page asked for (set by proxy.ts) so the visitor lands there afterwards.
 */
export async function requirePageUser() {
  const user = await currentUser();
  if (user) return user;
  const requested = (await headers()).get(REQUESTED_PATH_HEADER);
  redirect(withCallback((await hasAnyUser()) ? "/login" : "/setup", requested));
}
