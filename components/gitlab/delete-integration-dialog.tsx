"use client";

import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { toast } from "sonner";
import type { GitLabIntegrationConfig } from "@/lib/client/queries/gitlab-types";
import { useDeleteGitLabIntegration } from "@/lib/client/queries/use-delete-gitlab-integration";

/** Deleting names everything that goes with the integration. */
export function DeleteIntegrationDialog({
  open,
  onClose,
  config,
}: {
  open: boolean;
  onClose: () => void;
  config: GitLabIntegrationConfig;
}) {
  const remove = useDeleteGitLabIntegration(config.project, config.id);
  const items = config.linked_items_count;
  return (
    <ConfirmDialog
      open={open}
      onClose={onClose}
      title="Delete the GitLab integration?"
      confirmLabel="Delete integration"
      onConfirm={async () => {
        await remove.mutateAsync();
        toast.success("GitLab integration deleted");
      }}
    >
      <p>This removes:</p>
      <ul className="list-disc space-y-1 pl-5">
        <li>the stored access token for {config.gitlab_instance_url};</li>
        {config.webhook_registered && (
          <li>the webhook Flagpost created on {config.project_name} in GitLab;</li>
        )}
        <li>
          {items === 1 ? "1 linked issue or merge request" : `${items} linked issues and merge requests`} and
          the GitLab tags they put on features.
        </li>
      </ul>
      <p>Comments already posted in GitLab stay there. You can connect GitLab again at any time.</p>
    </ConfirmDialog>
  );
}
