import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { deriveKey } from "@/lib/crypto/server-secrets";
import { ensureDatabase, prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { clientAddress } from "@/lib/auth/client-address";
import { loginSucceeded, takeLoginAttempt } from "@/lib/auth/login-rate-limit";
import { DUMMY_PASSWORD_HASH, verifyPassword } from "@/lib/auth/password";

// Email + password sign-in with next-auth. Sessions are encrypted JWT cookies, so any instance
// behind a load balancer can read them; the signing secret is derived from FLAGPOST_SECRET_KEY.

export const SIGN_IN_RATE_LIMITED = "RateLimited";

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email(),
  password: z.string().min(1),
});

export function sessionSecret(): string {
  return deriveKey("session").toString("base64url");
}

export function usesSecureCookies(): boolean {
  return env().FLAGPOST_PUBLIC_URL.startsWith("https://");
}

/**
 * The credentials check behind next-auth: throttled by client address and account, then the
 * password (always hashed, so an unknown email takes as long). Throws SIGN_IN_RATE_LIMITED when
 * the caller must wait.
 */
export async function authorizeSignIn(
  credentials: Record<string, string> | undefined,
  headers: Record<string, unknown> | undefined,
): Promise<{ id: string; email: string; name: string } | null> {
  const parsed = credentialsSchema.safeParse(credentials);
  if (!parsed.success) return null;
  await ensureDatabase();
  const { email, password } = parsed.data;
  const gate = await takeLoginAttempt(email, clientAddress(headers));
  if (!gate.allowed) throw new Error(SIGN_IN_RATE_LIMITED);
  const user = await prisma.user.findUnique({ where: { email } });
  const valid = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  if (!user || !valid) return null;
  await loginSucceeded(email);
  return { id: String(user.id), email: user.email, name: user.name || user.email };
}

export function authOptions(): NextAuthOptions {
  // next-auth v4 builds callback URLs from NEXTAUTH_URL.
  process.env.NEXTAUTH_URL ??= env().FLAGPOST_PUBLIC_URL;
  return {
    secret: sessionSecret(),
    useSecureCookies: usesSecureCookies(),
    session: { strategy: "jwt", maxAge: 7 * 24 * 60 * 60 },
    pages: { signIn: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
        },
        authorize: (credentials, req) =>
          authorizeSignIn(credentials, req?.headers as Record<string, unknown> | undefined),
      }),
    ],
    callbacks: {
      session({ session, token }) {
        if (session.user && token.sub) (session.user as { id?: string }).id = token.sub;
        return session;
      },
    },
  };
}
