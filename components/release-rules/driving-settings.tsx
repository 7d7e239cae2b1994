"use client";

import { Switch } from "@/components/ui/switch";
import type { GitLabIntegrationConfig } from "@/lib/client/queries/gitlab-types";
import type { UpdateGitLabIntegrationInput } from "@/lib/client/queries/use-update-gitlab-integration";

// "GitLab drives the flag": the integration's opt-in switches (all off by default).

export function DrivingSettings({
  config,
  pending,
  onChange,
}: {
  config: GitLabIntegrationConfig;
  pending?: boolean;
  onChange: (input: UpdateGitLabIntegrationInput, done: string) => void;
}) {
  const toggle = (key: keyof UpdateGitLabIntegrationInput, label: string) => (on: boolean) =>
    onChange({ [key]: on }, `${label}: ${on ? "on" : "off"}`);
  return (
    <div className="max-w-2xl space-y-3">
      <Switch
        checked={config.release_rules_enabled}
        onCheckedChange={toggle("release_rules_enabled", "Release rules")}
        label="Release rules: merged merge requests and closed issues change flags"
        showLabel
        disabled={pending}
      />
      <Switch
        checked={config.commands_enabled}
        onCheckedChange={toggle("commands_enabled", "Commands in comments")}
        label="Commands in comments: @bot enable … in GitLab comments change flags"
        showLabel
        disabled={pending}
      />
      {config.commands_enabled && (
        <>
          <Switch
            checked={config.commands_ignore_internal}
            onCheckedChange={toggle("commands_ignore_internal", "Ignore internal notes")}
            label="Ignore commands in internal notes"
            showLabel
            disabled={pending}
          />
          <Switch
            checked={config.commands_on_confidential}
            onCheckedChange={toggle("commands_on_confidential", "Commands on confidential issues")}
            label="Accept commands on confidential issues"
            showLabel
            disabled={pending}
          />
        </>
      )}
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Commands need the commenter&apos;s GitLab role: Developer for unprotected environments, Maintainer for
        protected ones. Tick <strong>Comments</strong> on the GitLab webhook for commands to arrive.
      </p>
    </div>
  );
}
