import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/auth-options";
import { ensureDatabase } from "@/lib/db/client";

// next-auth's own endpoints (sign-in, sign-out, session, CSRF token).
async function handler(req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) {
  await ensureDatabase();
  return (NextAuth(authOptions()) as unknown as (req: Request, ctx: unknown) => Promise<Response>)(req, ctx);
}

export { handler as GET, handler as POST };
