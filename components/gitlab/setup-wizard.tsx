"use client";

import { Check } from "lucide-react";
import type { ReactNode } from "react";
import { CredentialsForm } from "@/components/gitlab/credentials-form";
import { ProjectPicker } from "@/components/gitlab/project-picker";
import { TaggingSettings } from "@/components/gitlab/tagging-settings";
import { TokenSummary } from "@/components/gitlab/token-summary";
import { WebhookDetails } from "@/components/gitlab/webhook-details";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { toast } from "sonner";
import { errorMessage } from "@/lib/client/queries/api-client";
import type { GitLabIntegrationConfig } from "@/lib/client/queries/gitlab-types";
import { useUpdateGitLabIntegration } from "@/lib/client/queries/use-update-gitlab-integration";

export type WizardStep = "credentials" | "project" | "tagging" | "webhook";

const STEPS: { id: WizardStep; title: string }[] = [
  { id: "credentials", title: "Connect" },
  { id: "project", title: "Choose a project" },
  { id: "tagging", title: "Tagging" },
  { id: "webhook", title: "Webhook" },
];

interface SetupWizardProps {
  projectId: number;
  /** Null until step 1 has saved the connection. */
  config: GitLabIntegrationConfig | null;
  step: WizardStep;
  onStep: (step: WizardStep) => void;
  onFinish: () => void;
}

/** Connecting GitLab in four steps; each saves as it goes, so leaving half-way loses nothing. */
export function SetupWizard({ projectId, config, step, onStep, onFinish }: SetupWizardProps) {
  const current = STEPS.findIndex((candidate) => candidate.id === step);
  return (
    <div className="space-y-6">
      <ol aria-label="Setup steps" className="flex flex-wrap gap-2 text-sm">
        {STEPS.map((candidate, index) => (
          <li
            key={candidate.id}
            aria-current={index === current ? "step" : undefined}
            className={cx(
              "flex items-center gap-2 rounded-full border px-3 py-1",
              index === current
                ? "border-accent-500 bg-accent-50 font-semibold text-accent-800 dark:bg-accent-950/50 dark:text-accent-200"
                : index < current
                  ? "border-emerald-300 text-emerald-800 dark:border-emerald-800 dark:text-emerald-300"
                  : "border-zinc-200 text-zinc-500 dark:border-zinc-700 dark:text-zinc-400",
            )}
          >
            <span aria-hidden="true">{index < current ? <Check className="size-3.5" /> : index + 1}</span>
            {candidate.title}
          </li>
        ))}
      </ol>
      {step === "credentials" || !config ? (
        <StepPanel
          title="1. Connect to GitLab"
          description="Where your GitLab is, and the token Flagpost uses to read issues and merge requests and to comment on them."
        >
          <CredentialsForm projectId={projectId} onConnected={() => onStep("project")} />
        </StepPanel>
      ) : step === "project" ? (
        <ProjectStep projectId={projectId} config={config} onDone={() => onStep("tagging")} />
      ) : step === "tagging" ? (
        <TaggingStep config={config} onBack={() => onStep("project")} onDone={() => onStep("webhook")} />
      ) : (
        <StepPanel
          title="4. Let GitLab tell Flagpost about changes"
          description="GitLab calls this webhook when a linked issue or merge request opens, closes, merges or turns draft, so tags and statuses stay current."
        >
          <WebhookDetails projectId={projectId} config={config} />
          <div className="flex gap-2 pt-2">
            <Button onClick={() => onStep("tagging")}>Back</Button>
            <Button variant="primary" onClick={onFinish}>
              Finish
            </Button>
          </div>
        </StepPanel>
      )}
    </div>
  );
}

function StepPanel({
  title,
  description,
  children,
}: {
  title: string;
  description: string;
  children: ReactNode;
}) {
  return (
    <section
      aria-label={title}
      className="space-y-4 rounded-lg border border-zinc-200 bg-white p-5 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="space-y-1">
        <h2 className="text-base font-semibold">{title}</h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{description}</p>
      </div>
      {children}
    </section>
  );
}

function ProjectStep({
  projectId,
  config,
  onDone,
}: {
  projectId: number;
  config: GitLabIntegrationConfig;
  onDone: () => void;
}) {
  const update = useUpdateGitLabIntegration(projectId, config.id);
  return (
    <StepPanel
      title="2. Choose the GitLab project"
      description="Flagpost links this project's issues and merge requests to features, and can create the webhook on it."
    >
      <div
        role="status"
        className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:border-emerald-900 dark:bg-emerald-950/50 dark:text-emerald-100"
      >
        Connected to {config.gitlab_instance_url}. GitLab confirmed the token:
      </div>
      <TokenSummary token={config.token} />
      <ProjectPicker
        projectId={projectId}
        currentId={config.gitlab_project_id}
        onLink={async (project) => {
          await update.mutateAsync({ gitlab_project_id: project.id });
          toast.success(`Linked ${project.path_with_namespace}`);
          onDone();
        }}
      />
      <Button variant="ghost" onClick={onDone}>
        {config.gitlab_project_id ? `Keep ${config.project_name}` : "Skip for now"}
      </Button>
    </StepPanel>
  );
}

function TaggingStep({
  config,
  onBack,
  onDone,
}: {
  config: GitLabIntegrationConfig;
  onBack: () => void;
  onDone: () => void;
}) {
  const update = useUpdateGitLabIntegration(config.project, config.id);
  return (
    <StepPanel title="3. Tag features automatically" description="Optional. You can change this later.">
      <TaggingSettings
        enabled={config.tagging_enabled}
        pending={update.isPending}
        onChange={(enabled) =>
          update.mutate(
            { tagging_enabled: enabled },
            {
              onSuccess: () =>
                toast.success(enabled ? "Automatic tagging is on" : "Automatic tagging is off"),
              onError: (error) => toast.error(errorMessage(error)),
            },
          )
        }
      />
      <div className="flex gap-2 pt-2">
        <Button onClick={onBack}>Back</Button>
        <Button variant="primary" onClick={onDone}>
          Continue
        </Button>
      </div>
    </StepPanel>
  );
}
