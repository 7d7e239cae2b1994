"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useState } from "react";
import { FeatureHeader } from "@/components/features/feature-header";
import { FeatureLifecycleBanner } from "@/components/features/feature-lifecycle-banner";
import { visibleFeatureTabs, type FeatureTabContext } from "@/components/features/feature-tabs";
import { CreateCleanupIssueDialog } from "@/components/gitlab/create-cleanup-issue-dialog";
import { ErrorState } from "@/components/ui/error-state";
import { BlockSkeleton } from "@/components/ui/skeleton";
import { TabLinks, TabPanel } from "@/components/ui/tab-links";
import type { Environment } from "@/lib/client/queries/types";
import { useEnvironment } from "@/lib/client/queries/use-environment";
import { useFeature } from "@/lib/client/queries/use-feature";
import { useGitLabIntegration } from "@/lib/client/queries/use-gitlab-integration";
import { useProjectPermissions } from "@/lib/client/queries/use-permissions";
import { routes } from "@/lib/client/routes";

interface FeatureDetailClientProps {
  projectId: number;
  featureId: number;
  initialEnvironment: Environment;
}

export function FeatureDetailClient({ projectId, featureId, initialEnvironment }: FeatureDetailClientProps) {
  const searchParams = useSearchParams();
  const environment =
    useEnvironment(initialEnvironment.api_key, initialEnvironment).data ?? initialEnvironment;
  const feature = useFeature(projectId, featureId);
  const permissions = useProjectPermissions(projectId);
  // Decides whether the Links tab exists; wait for it so a `?tab=links` address opens that tab.
  const gitlab = useGitLabIntegration(projectId);
  const [creatingCleanupIssue, setCreatingCleanupIssue] = useState(false);

  if (feature.isPending || gitlab.isPending) return <BlockSkeleton lines={6} label="Loading feature…" />;
  if (feature.isError)
    return (
      <ErrorState
        title="Could not load this feature"
        error={feature.error}
        onRetry={() => void feature.refetch()}
      />
    );

  const integration = gitlab.data ?? null;
  const openCleanupIssueDialog =
    integration && permissions.canEdit && !feature.data.is_archived
      ? () => setCreatingCleanupIssue(true)
      : undefined;
  const context: FeatureTabContext = {
    projectId,
    feature: feature.data,
    environment,
    permissions,
    gitlabIntegration: integration,
    openCleanupIssueDialog,
  };
  const tabs = visibleFeatureTabs(context);
  const active = tabs.find((tab) => tab.id === searchParams.get("tab")) ?? tabs[0]!;

  return (
    <>
      <FeatureHeader feature={feature.data} environment={environment} canEdit={permissions.canEdit} />
      <FeatureLifecycleBanner
        feature={feature.data}
        canEdit={permissions.canEdit}
        onCreateCleanupIssue={openCleanupIssueDialog}
      />
      <TabLinks
        label={`${feature.data.name} sections`}
        activeId={active.id}
        tabs={tabs.map((tab) => ({
          id: tab.id,
          label: tab.label,
          href: routes.feature(projectId, environment.api_key, featureId, tab.id),
        }))}
      />
      {!integration && permissions.canEdit && (
        // Without GitLab there is no Links tab: say where it comes from.
        <p className="mt-3 text-xs text-zinc-600 dark:text-zinc-400">
          Connect GitLab to link issues and merge requests to this flag: a Links tab appears here.{" "}
          <Link
            href={routes.integrations(projectId)}
            className="font-medium text-accent-700 underline dark:text-accent-300"
          >
            Connect GitLab
          </Link>
        </p>
      )}
      <TabPanel id={active.id}>{active.render(context)}</TabPanel>
      {integration && openCleanupIssueDialog && (
        <CreateCleanupIssueDialog
          open={creatingCleanupIssue}
          onClose={() => setCreatingCleanupIssue(false)}
          projectId={projectId}
          feature={feature.data}
          integration={integration}
        />
      )}
    </>
  );
}
