"use client";

import { useState } from "react";
import { toast } from "sonner";
import type { FeatureTabContext } from "@/components/features/feature-tabs";
import { LinkItemPicker } from "@/components/gitlab/link-item-picker";
import { LinkedItemsTable } from "@/components/gitlab/linked-items-table";
import { ReleaseRulesSection } from "@/components/release-rules/release-rules-section";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { Section } from "@/components/ui/page-header";
import { TableSkeleton } from "@/components/ui/skeleton";
import { errorMessage, isApiClientError } from "@/lib/client/queries/api-client";
import type { FeatureLink } from "@/lib/client/queries/gitlab-types";
import { useFeatureLinks } from "@/lib/client/queries/use-feature-links";
import { useLinkFeatureItem } from "@/lib/client/queries/use-link-feature-item";
import { useRefreshFeatureLinks } from "@/lib/client/queries/use-refresh-feature-links";
import { useUnlinkFeatureItem } from "@/lib/client/queries/use-unlink-feature-item";

// The feature's "Links" tab: the GitLab issues and merge requests it belongs to, with their live
// state. Editors link and unlink; viewers see the table.

const itemName = (link: FeatureLink) => `${link.metadata.project_path}${link.metadata.reference}`;

export function FeatureLinksTab({ context }: { context: FeatureTabContext }) {
  const { feature, permissions, gitlabIntegration, openCleanupIssueDialog } = context;
  const links = useFeatureLinks(feature.project, feature.id);
  const link = useLinkFeatureItem(feature.project, feature.id, {
    onSuccess: (linked) => toast.success(`Linked ${itemName(linked)}: ${linked.metadata.title}`),
    onError: (error, { preview }) => {
      const what = `${preview.projectPath}${preview.reference}` || preview.title;
      toast.error(
        isApiClientError(error, 502)
          ? `GitLab could not be reached, so ${what} was not linked. Try again in a moment. (${errorMessage(error)})`
          : `Could not link ${what}: ${errorMessage(error)}`,
      );
    },
  });
  const unlink = useUnlinkFeatureItem(feature.project, feature.id, {
    onSuccess: (_answer, unlinked) => toast.success(`Unlinked ${itemName(unlinked)}`),
    onError: (error, unlinked) =>
      toast.error(`Could not unlink ${itemName(unlinked)}: ${errorMessage(error)}`),
  });
  const refresh = useRefreshFeatureLinks(feature.project, feature.id, {
    onSuccess: (rows) => {
      if (rows.some((row) => row.metadata.stale))
        toast.error("GitLab did not answer in time: showing what it said last.");
      else toast.success("Refreshed from GitLab");
    },
    onError: (error) => toast.error(`Could not refresh from GitLab: ${errorMessage(error)}`),
  });
  const [unlinking, setUnlinking] = useState<FeatureLink | null>(null);
  const canEdit = permissions.canEdit;
  if (!gitlabIntegration) return null;

  const linkedKeys = new Set(
    (links.data ?? []).map((row) => `${row.metadata.gitlab_project_id}:${row.type}:${row.metadata.iid}`),
  );
  const unlinkingName = unlinking ? itemName(unlinking) : "";

  return (
    <div className="space-y-10">
      {canEdit && (
        <Section
          title="Link issue or merge request"
          description="Attach the GitLab work this flag belongs to; its state shows here and in the feature's GitLab tags."
        >
          <LinkItemPicker
            projectId={feature.project}
            integration={gitlabIntegration}
            linkedKeys={linkedKeys}
            onLink={(variables) => link.mutate(variables)}
          />
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
            <Button
              size="sm"
              onClick={() => refresh.mutate()}
              pending={refresh.isPending}
              disabled={!links.data?.length}
            >
              Refresh
            </Button>
          </>
        }
      >
        {links.isPending ? (
          <TableSkeleton rows={3} columns={5} label="Loading linked items…" />
        ) : links.isError ? (
          <ErrorState
            title="Could not load linked items"
            error={links.error}
            onRetry={() => void links.refetch()}
          />
        ) : links.data.length === 0 ? (
          <EmptyState title="No linked issues or merge requests">
            {canEdit
              ? "Link the GitLab issue or merge request this flag is for, above."
              : "Editors can link the GitLab issues and merge requests this flag is for."}
          </EmptyState>
        ) : (
          <LinkedItemsTable
            featureName={feature.name}
            links={links.data}
            onUnlink={canEdit ? setUnlinking : undefined}
          />
        )}
      </Section>

      <ReleaseRulesSection context={context} links={links.data ?? []} />

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
            <strong>{unlinking?.metadata.title}</strong> ({unlinkingName}) will no longer be linked to{" "}
            {feature.name}. It stays in GitLab; Flagpost removes its “Flagpost” label there once no feature
            links it.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
