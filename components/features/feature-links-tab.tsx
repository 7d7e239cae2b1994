"use client";

import { useState } from "react";
import type { FeatureTabContext } from "@/components/features/feature-tabs";
import { LinkItemPicker } from "@/components/gitlab/link-item-picker";
import { LinkedItemsTable } from "@/components/gitlab/linked-items-table";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { Section } from "@/components/ui/page-header";
import { TableSkeleton } from "@/components/ui/skeleton";
import type { FeatureLink } from "@/lib/client/queries/gitlab-types";
import { useFeatureLinks } from "@/lib/client/queries/use-feature-links";
import { useLinkFeatureItem } from "@/lib/client/queries/use-link-feature-item";
import { useRefreshFeatureLinks } from "@/lib/client/queries/use-refresh-feature-links";
import { useUnlinkFeatureItem } from "@/lib/client/queries/use-unlink-feature-item";

// The feature's "Links" tab: the GitLab issues and merge requests it belongs to, with their live
// state. Editors link and unlink; viewers see the table.

export function FeatureLinksTab({ context }: { context: FeatureTabContext }) {
  const { feature, permissions, gitlabIntegration, openCleanupIssueDialog } = context;
  const links = useFeatureLinks(feature.project, feature.id);
  const link = useLinkFeatureItem(feature.project, feature.id);
  const unlink = useUnlinkFeatureItem(feature.project, feature.id);
  const refresh = useRefreshFeatureLinks(feature.project, feature.id);
  const [unlinking, setUnlinking] = useState<FeatureLink | null>(null);
  const canEdit = permissions.canEdit;
  if (!gitlabIntegration) return null;

  const linkedKeys = new Set((links.data ?? []).map((row) => `${row.metadata.gitlab_project_id}:${row.type}:${row.metadata.iid}`));
  const unlinkingName = unlinking ? `${unlinking.metadata.project_path}${unlinking.metadata.reference}` : "";

  return (
    <div className="space-y-10">
      {canEdit && (
        <Section title="Link issue or merge request" description="Attach the GitLab work this flag belongs to; its state shows here and in the feature's GitLab tags.">
          <LinkItemPicker projectId={feature.project} integration={gitlabIntegration} linkedKeys={linkedKeys} onLink={(variables) => link.mutate(variables)} />
        </Section>
      )}

      <Section
        title="Linked issues and merge requests"
        description="Their state is read from GitLab when it is more than a minute old, and updated by GitLab's webhooks."
        actions={
          <>
            {openCleanupIssueDialog && (
              <Button size="sm" onClick={openCleanupIssueDialog}>
                Create cleanup issue
              </Button>
            )}
            <Button size="sm" onClick={() => refresh.mutate()} pending={refresh.isPending} disabled={!links.data?.length}>
              Refresh
            </Button>
          </>
        }
      >
        {links.isPending ? (
          <TableSkeleton rows={3} columns={5} label="Loading linked items…" />
        ) : links.isError ? (
          <ErrorState title="Could not load linked items" error={links.error} onRetry={() => void links.refetch()} />
        ) : links.data.length === 0 ? (
          <EmptyState title="No linked issues or merge requests">
            {canEdit ? "Link the GitLab issue or merge request this flag is for, above." : "Editors can link the GitLab issues and merge requests this flag is for."}
          </EmptyState>
        ) : (
          <LinkedItemsTable featureName={feature.name} links={links.data} onUnlink={canEdit ? setUnlinking : undefined} />
        )}
      </Section>

      {canEdit && (
        <ConfirmDialog
          open={unlinking !== null}
          onClose={() => setUnlinking(null)}
          title={`Unlink ${unlinkingName}?`}
          confirmLabel="Unlink"
          onConfirm={async () => {
            // Optimistic: the row goes now; the hook puts it back with a toast if the server refuses.
            if (unlinking) unlink.mutate(unlinking);
          }}
        >
          <p>
            <strong>{unlinking?.metadata.title}</strong> ({unlinkingName}) will no longer be linked to {feature.name}. It stays in GitLab; Flagpost removes its
            “Flagpost” label there once no feature links it.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
