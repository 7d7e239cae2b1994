import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/session";
import { hasProjectRole } from "@/lib/auth/permissions";
import { requireProjectPage } from "@/lib/server/page-access";
import { GitLabIntegrationClient } from "./gitlab-integration-client";

export const metadata: Metadata = { title: "GitLab integration" };

export default async function GitLabIntegrationPage({ params }: { params: Promise<{ projectId: string }> }) {
  const user = await requirePageUser();
  const { projectId, access } = await requireProjectPage(user, (await params).projectId);
  // The API refuses non-admins too; this says so instead of showing a form that cannot be saved.
  if (!hasProjectRole(access, "ADMIN")) {
    return (
      <>
        <PageHeader title="GitLab integration" />
        <EmptyState title="Only project administrators can set up GitLab">
          Connecting GitLab stores an access token and a webhook secret for this project. Ask a project
          administrator to set it up or change it.
        </EmptyState>
      </>
    );
  }
  return <GitLabIntegrationClient projectId={projectId} />;
}
