import type { Metadata } from "next";
import { requirePageUser } from "@/lib/auth/session";
import { requireProjectPage } from "@/lib/server/page-access";
import { ProjectSettingsClient } from "./project-settings-client";

export const metadata: Metadata = { title: "Project settings" };

export default async function ProjectSettingsPage({ params }: { params: Promise<{ projectId: string }> }) {
  const user = await requirePageUser();
  const { projectId } = await requireProjectPage(user, (await params).projectId);
  return <ProjectSettingsClient projectId={projectId} />;
}
