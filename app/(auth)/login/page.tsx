import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { hasAnyUser } from "@/lib/auth/accounts";
import { currentUser } from "@/lib/auth/session";
import { LoginClient } from "./login-client";

export const metadata: Metadata = { title: "Sign in" };

/** Only relative paths on this site are followed after signing in (no open redirects). */
function safeCallbackUrl(value: string | string[] | undefined): string {
  const url = Array.isArray(value) ? value[0] : value;
  return url && url.startsWith("/") && !url.startsWith("//") && !url.startsWith("/\\") ? url : "/projects";
}

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const callbackUrl = safeCallbackUrl((await searchParams).callbackUrl);
  if (await currentUser()) redirect(callbackUrl);
  if (!(await hasAnyUser())) redirect("/setup");
  return <LoginClient callbackUrl={callbackUrl} />;
}
