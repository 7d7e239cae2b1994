"use client";

import { RefreshCw } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import type { FeatureTabContext } from "@/components/features/feature-tabs";
import { LinkItemField } from "@/components/gitlab/link-item-field";
import { LinkedItemsList } from "@/components/gitlab/linked-items-list";
import { ReleaseRulesSection } from "@/components/release-rules/release-rules-section";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { Section } from "@/components/ui/page-header";
import { BlockSkeleton } from "@/components/ui/skeleton";
import { errorMessage } from "@/lib/client/queries/api-client";
import type { FeatureLink } from "@/lib/client/queries/gitlab-types";
import { useFeatureLinks } from "@/lib/client/queries/use-feature-links";
import { useLinkFeatureItem } from "@/lib/client/queries/use-link-feature-item";
import { useRefreshFeatureLinks } from "@/lib/client/queries/use-refresh-feature-links";
import { useUnlinkFeatureItem } from "@/lib/client/queries/use-unlink-feature-item";

// The feature's "Links" tab: the GitLab issues and merge requests it belongs to, with their live
// state, first; under them the one "Link issue or MR" field (editors). A refused link is explained
// next to the field (see LinkItemField), not in a toast.

const itemName = (link: FeatureLink) => `${link.metadata.project_path}${link.metadata.reference}`;

export function FeatureLinksTab({ context }: { context: FeatureTabContext }) {
  const { feature, permissions, gitlabIntegration } = context;
  const links = useFeatureLinks(feature.project, feature.id);
  const link = useLinkFeatureItem(feature.project, feature.id, {
    onSuccess: (linked) => toast.success(`Linked ${itemName(linked)}: ${linked.metadata.title}`),
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

  const rows = links.data ?? [];
  const linkedKeys = new Set(
    rows.map((row) => `${row.metadata.gitlab_project_id}:${row.type}:${row.metadata.iid}`),
  );
  const unlinkingName = unlinking ? itemName(unlinking) : "";
  const hasCleanupIssue = rows.some((row) => row.is_cleanup_issue);

  return (
    <div className="space-y-6">
      <Section
        title="Linked issues and merge requests"
        description="Their state is read from GitLab when it is more than a minute old, and updated by GitLab's webhooks."
        actions={
          rows.length > 0 && (
            <Button size="sm" variant="ghost" onClick={() => refresh.mutate()} pending={refresh.isPending}>
              <RefreshCw aria-hidden="true" className="size-3.5" />
              Refresh
            </Button>
          )
        }
      >
        {links.isPending ? (
          <BlockSkeleton lines={3} label="Loading linked items…" />
        ) : links.isError ? (
          <ErrorState
            title="Could not load linked items"
            error={links.error}
            onRetry={() => void links.refetch()}
          />
        ) : rows.length === 0 ? (
          <EmptyState title="No linked issues or merge requests">
            {canEdit
              ? "Link the GitLab issue or merge request this flag is for, below."
              : "Editors can link the GitLab issues and merge requests this flag is for."}
          </EmptyState>
        ) : (
          <LinkedItemsList
            featureName={feature.name}
            links={rows}
            onUnlink={canEdit ? setUnlinking : undefined}
          />
        )}
        {canEdit && (
          <LinkItemField
            projectId={feature.project}
            integration={gitlabIntegration}
            linkedKeys={linkedKeys}
            onLink={(variables) => link.mutateAsync(variables)}
          />
        )}
      </Section>

      {/* "Create cleanup issue" lives in the Stale banner above the tabs; here, only why it is not offered yet. */}
      {canEdit && !feature.stale && !feature.ready_to_delete && !feature.is_archived && !hasCleanupIssue && (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          A cleanup issue is offered once the flag is stale: every linked item is closed or merged and the
          flag has not changed for the project&rsquo;s stale-flag threshold.
        </p>
      )}

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
