import type { Metadata } from "next";
import { requirePageUser } from "@/lib/auth/session";
import { OrganisationSettingsClient } from "./organisation-settings-client";

export const metadata: Metadata = { title: "Organisation settings" };

export default async function OrganisationSettingsPage() {
  const user = await requirePageUser();
  return <OrganisationSettingsClient currentUserId={user.id} />;
}
