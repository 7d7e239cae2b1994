import type { Metadata } from "next";
import { requirePageUser } from "@/lib/auth/session";
import { requireEnvironmentPage, requireProjectPage } from "@/lib/server/page-access";
import { IdentitiesClient } from "./identities-client";

export const metadata: Metadata = { title: "Identities" };

export default async function IdentitiesPage({
  params,
}: {
  params: Promise<{ projectId: string; envApiKey: string }>;
}) {
  const user = await requirePageUser();
  const { projectId: projectParam, envApiKey } = await params;
  const { projectId } = await requireProjectPage(user, projectParam);
  const environment = await requireEnvironmentPage(projectId, envApiKey);
  return <IdentitiesClient projectId={projectId} environment={environment} />;
}
