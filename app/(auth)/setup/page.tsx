import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { hasAnyUser } from "@/lib/auth/accounts";
import { ensureDatabase } from "@/lib/db/client";
import { SetupClient } from "./setup-client";

export const metadata: Metadata = { title: "Set up Flagpost" };

// First-run sign-up: only while no user exists (what GET /api/v1/setup/ reports as `needs_setup`).
export default async function SetupPage() {
  await connection();
  await ensureDatabase();
  if (await hasAnyUser()) redirect("/login");
  return <SetupClient />;
}
