"use client";

import { connectionFormErrors } from "@/components/gitlab/connection-errors";
import { TokenHelp } from "@/components/gitlab/token-help";
import { FormDialog } from "@/components/ui/form-dialog";
import { TextField } from "@/components/ui/text-field";
import { fieldProps, useSchemaForm } from "@/lib/client/forms/use-schema-form";
import type { GitLabIntegrationConfig } from "@/lib/client/queries/gitlab-types";
import { useUpdateGitLabIntegration } from "@/lib/client/queries/use-update-gitlab-integration";
import { updateGitLabIntegrationBody } from "@/lib/validations/gitlab";

const rotateTokenForm = updateGitLabIntegrationBody.pick({ access_token: true }).required();

/** Replaces the stored token with a new one, after GitLab confirms the new one works. */
export function RotateTokenDialog({
  open,
  onClose,
  config,
}: {
  open: boolean;
  onClose: () => void;
  config: GitLabIntegrationConfig;
}) {
  const update = useUpdateGitLabIntegration(config.project, config.id);
  const form = useSchemaForm(rotateTokenForm, { access_token: "" });

  return (
    <FormDialog
      form={form}
      open={open}
      onClose={onClose}
      title="Rotate the access token"
      description={`Paste a new token for ${config.gitlab_instance_url}. Flagpost checks it with GitLab before replacing the old one.`}
      submitLabel="Replace token"
      mapError={connectionFormErrors}
      onSubmit={update.mutateAsync}
      savedMessage={() => "Access token rotated"}
    >
      <TextField
        label="New access token"
        type="password"
        {...fieldProps(form, "access_token")}
        autoComplete="off"
        spellCheck={false}
        required
      />
      <TokenHelp instanceUrl={config.gitlab_instance_url} />
    </FormDialog>
  );
}
