import type { Metadata } from "next";
import { requirePageUser } from "@/lib/auth/session";
import { requireEnvironmentPage, requireProjectPage } from "@/lib/server/page-access";
import { FeaturesClient } from "./features-client";

export const metadata: Metadata = { title: "Features" };

export default async function FeaturesPage({
  params,
}: {
  params: Promise<{ projectId: string; envApiKey: string }>;
}) {
  const user = await requirePageUser();
  const { projectId: projectParam, envApiKey } = await params;
  const { projectId } = await requireProjectPage(user, projectParam);
  const environment = await requireEnvironmentPage(projectId, envApiKey);
  return <FeaturesClient projectId={projectId} initialEnvironment={environment} />;
}
