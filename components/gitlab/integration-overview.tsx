"use client";

import { useState } from "react";
import { BackgroundJobs } from "@/components/gitlab/background-jobs";
import { DeleteIntegrationDialog } from "@/components/gitlab/delete-integration-dialog";
import { GitLabUnreachableNotice } from "@/components/gitlab/gitlab-unreachable-notice";
import { ProjectPicker } from "@/components/gitlab/project-picker";
import { RotateTokenDialog } from "@/components/gitlab/rotate-token-dialog";
import { TaggingSettings } from "@/components/gitlab/tagging-settings";
import { DrivingSettings } from "@/components/release-rules/driving-settings";
import { TokenSummary } from "@/components/gitlab/token-summary";
import { WebhookDetails } from "@/components/gitlab/webhook-details";
import { WebhookDeliveries } from "@/components/gitlab/webhook-deliveries";
import { Button } from "@/components/ui/button";
import { Section } from "@/components/ui/page-header";
import { Select } from "@/components/ui/select";
import { toast } from "sonner";
import { errorMessage } from "@/lib/client/queries/api-client";
import type { CommentStyle, GitLabIntegrationConfig } from "@/lib/client/queries/gitlab-types";
import { useUpdateGitLabIntegration } from "@/lib/client/queries/use-update-gitlab-integration";

const card = "rounded-lg border border-zinc-200 bg-white p-5 shadow-sm dark:border-zinc-800 dark:bg-zinc-900";

const commentStyles: { value: CommentStyle; label: string }[] = [
  { value: "STATUS_NOTE", label: "Keep one status comment (recommended)" },
  { value: "PER_CHANGE", label: "New comment for every change" },
];

/** An existing integration: the same facts as the wizard, each changeable in place. */
export function IntegrationOverview({
  projectId,
  config,
}: {
  projectId: number;
  config: GitLabIntegrationConfig;
}) {
  const update = useUpdateGitLabIntegration(projectId, config.id);
  const [changingProject, setChangingProject] = useState(false);
  const [rotating, setRotating] = useState(false);
  const [deleting, setDeleting] = useState(false);

  const save = (input: Parameters<typeof update.mutate>[0], done: string) =>
    update.mutate(input, {
      onSuccess: () => toast.success(done),
      onError: (error) => toast.error(errorMessage(error)),
    });

  return (
    <div className="space-y-8">
      <GitLabUnreachableNotice outage={config.gitlab_unreachable} />
      <Section
        title="Connection"
        description={
          <>
            Connected to{" "}
            <a
              href={config.gitlab_instance_url}
              target="_blank"
              rel="noreferrer"
              className="font-medium text-accent-700 underline dark:text-accent-300"
            >
              {config.gitlab_instance_url}
            </a>
          </>
        }
        actions={<Button onClick={() => setRotating(true)}>Rotate token</Button>}
      >
        <div className={card}>
          <TokenSummary token={config.token} />
        </div>
      </Section>

      <Section
        title="GitLab project"
        description="Issues and merge requests of this project are offered when linking, and the webhook lives here."
        actions={
          !changingProject && (
            <Button onClick={() => setChangingProject(true)}>
              {config.gitlab_project_id ? "Change" : "Choose a project"}
            </Button>
          )
        }
      >
        <div className={card}>
          {changingProject ? (
            <ProjectPicker
              projectId={projectId}
              currentId={config.gitlab_project_id}
              onCancel={() => setChangingProject(false)}
              onLink={async (project) => {
                await update.mutateAsync({ gitlab_project_id: project.id });
                toast.success(`Linked ${project.path_with_namespace}`);
                setChangingProject(false);
              }}
            />
          ) : config.project_name ? (
            <p className="text-sm">
              Linked project:{" "}
              <a
                data-testid="linked-project"
                href={`${config.gitlab_instance_url}/${config.project_name}`}
                target="_blank"
                rel="noreferrer"
                className="font-mono font-medium text-accent-700 underline dark:text-accent-300"
              >
                {config.project_name}
              </a>
            </p>
          ) : (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">No GitLab project is linked yet.</p>
          )}
        </div>
      </Section>

      <Section title="Tagging and comments">
        <div className={`${card} space-y-6`}>
          <TaggingSettings
            enabled={config.tagging_enabled}
            pending={update.isPending}
            onChange={(enabled) =>
              save(
                { tagging_enabled: enabled },
                enabled ? "Automatic tagging is on" : "Automatic tagging is off",
              )
            }
          />
          <Select
            label="Comments in GitLab"
            className="max-w-sm"
            value={config.comment_style}
            options={commentStyles}
            disabled={update.isPending}
            hint="How Flagpost tells a linked issue or merge request about its feature's state."
            onChange={(event) =>
              save({ comment_style: event.target.value as CommentStyle }, "Comment style saved")
            }
          />
        </div>
      </Section>

      <Section title="GitLab drives the flag">
        <div className={card}>
          <DrivingSettings config={config} pending={update.isPending} onChange={save} />
        </div>
      </Section>

      <Section
        title="Webhook"
        description="GitLab calls this URL when linked issues and merge requests change."
      >
        <div className={card}>
          <WebhookDetails projectId={projectId} config={config} />
        </div>
      </Section>

      <WebhookDeliveries projectId={projectId} integrationId={config.id} />

      <BackgroundJobs
        projectId={projectId}
        integrationId={config.id}
        tokenInvalid={config.token.status === "INVALID"}
      />

      <Section title="Delete the integration">
        <div className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-red-200 bg-white p-5 dark:border-red-900 dark:bg-zinc-900">
          <p className="text-sm text-zinc-700 dark:text-zinc-300">
            Disconnects GitLab from this project and removes its links and tags.
          </p>
          <Button variant="danger" onClick={() => setDeleting(true)}>
            Delete integration
          </Button>
        </div>
      </Section>

      <RotateTokenDialog open={rotating} onClose={() => setRotating(false)} config={config} />
      <DeleteIntegrationDialog open={deleting} onClose={() => setDeleting(false)} config={config} />
    </div>
  );
}
