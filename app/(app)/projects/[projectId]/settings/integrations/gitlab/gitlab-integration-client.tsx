"use client";

import { useState } from "react";
import { IntegrationOverview } from "@/components/gitlab/integration-overview";
import { SetupWizard, type WizardStep } from "@/components/gitlab/setup-wizard";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader } from "@/components/ui/page-header";
import { BlockSkeleton } from "@/components/ui/skeleton";
import { useGitLabIntegration } from "@/lib/client/queries/use-gitlab-integration";

export function GitLabIntegrationClient({ projectId }: { projectId: number }) {
  const integration = useGitLabIntegration(projectId);
  // Set while the wizard runs; an existing integration otherwise opens in the overview.
  const [wizardStep, setWizardStep] = useState<WizardStep | null>(null);
  const config = integration.data ?? null;
  const inWizard = !integration.isPending && !integration.isError && (config === null || wizardStep !== null);

  return (
    <>
      <PageHeader
        title="GitLab integration"
        description={
          inWizard
            ? "Connect this project to GitLab (gitlab.com or your own) to link issues and merge requests to features, tag features by their state and comment on them."
            : "How this project talks to GitLab."
        }
      />
      {integration.isPending ? (
        <BlockSkeleton lines={6} label="Loading the GitLab integration…" />
      ) : integration.isError ? (
        <ErrorState
          title="Could not load the GitLab integration"
          error={integration.error}
          onRetry={() => void integration.refetch()}
        />
      ) : inWizard ? (
        <SetupWizard
          projectId={projectId}
          config={config}
          step={config ? (wizardStep ?? "project") : "credentials"}
          onStep={setWizardStep}
          onFinish={() => setWizardStep(null)}
        />
      ) : (
        <IntegrationOverview projectId={projectId} config={config!} />
      )}
    </>
  );
}
