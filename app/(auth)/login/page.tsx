import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { hasAnyUser } from "@/lib/auth/accounts";
import { safeCallbackPath, withCallback } from "@/lib/auth/callback-url";
import { currentUser } from "@/lib/auth/session";
import { LoginClient } from "./login-client";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // Only paths of this site are followed after signing in (no open redirects).
  const callbackUrl = safeCallbackPath((await searchParams).callbackUrl);
  if (await currentUser()) redirect(callbackUrl);
  if (!(await hasAnyUser())) redirect(withCallback("/setup", callbackUrl));
  return <LoginClient callbackUrl={callbackUrl} />;
}
