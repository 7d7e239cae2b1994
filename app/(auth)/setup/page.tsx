import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { hasAnyUser } from "@/lib/auth/accounts";
import { safeCallbackPath, withCallback } from "@/lib/auth/callback-url";
import { ensureDatabase } from "@/lib/db/client";
import { SetupClient } from "./setup-client";

export const metadata: Metadata = { title: "Set up Flagpost" };

// First-run sign-up: only while no user exists (what GET /api/v1/setup/ reports as `needs_setup`).
export default async function SetupPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await connection();
  await ensureDatabase();
  // The page asked for before setup, if it is one of this site's.
  const callbackUrl = safeCallbackPath((await searchParams).callbackUrl);
  if (await hasAnyUser()) redirect(withCallback("/login", callbackUrl));
  return <SetupClient callbackUrl={callbackUrl} />;
}
