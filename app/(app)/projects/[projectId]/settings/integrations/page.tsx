import type { Metadata } from "next";
import { requirePageUser } from "@/lib/auth/session";
import { requireProjectPage } from "@/lib/server/page-access";
import { IntegrationsClient } from "./integrations-client";

export const metadata: Metadata = { title: "Integrations" };

export default async function IntegrationsPage({ params }: { params: Promise<{ projectId: string }> }) {
  const user = await requirePageUser();
  const { projectId } = await requireProjectPage(user, (await params).projectId);
  return <IntegrationsClient projectId={projectId} />;
}
