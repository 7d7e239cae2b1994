import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { deriveKey } from "@/lib/crypto/server-secrets";
import { ensureDatabase, prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { loginRetryAfterSeconds, recordLoginAttempt } from "@/lib/auth/login-rate-limit";
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

function clientAddress(headers: Record<string, unknown> | undefined): string | null {
  const forwarded = headers?.["x-forwarded-for"];
  const first = typeof forwarded === "string" ? forwarded.split(",")[0]?.trim() : undefined;
  const real = headers?.["x-real-ip"];
  return first || (typeof real === "string" ? real : null);
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
        async authorize(credentials, req) {
          const parsed = credentialsSchema.safeParse(credentials);
          if (!parsed.success) return null;
          await ensureDatabase();
          const { email, password } = parsed.data;
          const ip = clientAddress(req?.headers as Record<string, unknown> | undefined);
          if ((await loginRetryAfterSeconds(email, ip)) > 0) throw new Error(SIGN_IN_RATE_LIMITED);
          const user = await prisma.user.findUnique({ where: { email } });
          const valid = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
          await recordLoginAttempt(email, ip, Boolean(user && valid));
          if (!user || !valid) return null;
          return { id: String(user.id), email: user.email, name: user.name || user.email };
        },
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
