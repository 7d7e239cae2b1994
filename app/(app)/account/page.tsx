import type { Metadata } from "next";
import { requirePageUser } from "@/lib/auth/session";
import { AccountClient } from "./account-client";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  await requirePageUser();
  return <AccountClient />;
}
