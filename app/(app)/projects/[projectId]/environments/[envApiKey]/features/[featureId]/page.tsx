import type { Metadata } from "next";
import { requirePageUser } from "@/lib/auth/session";
import { requireEnvironmentPage, requireFeaturePage, requireProjectPage } from "@/lib/server/page-access";
import { FeatureDetailClient } from "./feature-detail-client";

export const metadata: Metadata = { title: "Feature" };

export default async function FeaturePage({
  params,
}: {
  params: Promise<{ projectId: string; envApiKey: string; featureId: string }>;
}) {
  const user = await requirePageUser();
  const { projectId: projectParam, envApiKey, featureId: featureParam } = await params;
  const { projectId } = await requireProjectPage(user, projectParam);
  const environment = await requireEnvironmentPage(projectId, envApiKey);
  const featureId = await requireFeaturePage(projectId, featureParam);
  return <FeatureDetailClient projectId={projectId} featureId={featureId} initialEnvironment={environment} />;
}
