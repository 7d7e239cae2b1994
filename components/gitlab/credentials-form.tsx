"use client";

import { connectionFormErrors } from "@/components/gitlab/connection-errors";
import { TokenHelp } from "@/components/gitlab/token-help";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { TextField } from "@/components/ui/text-field";
import { fieldProps, submitRequest, useSchemaForm } from "@/lib/client/forms/use-schema-form";
import type { GitLabIntegrationConfig } from "@/lib/client/queries/gitlab-types";
import { useConnectGitLab } from "@/lib/client/queries/use-connect-gitlab";
import { createGitLabIntegrationBody, DEFAULT_GITLAB_INSTANCE_URL } from "@/lib/validations/gitlab";

/** Step 1: where GitLab is and the token Flagpost acts with. Saving checks both with GitLab. */
export function CredentialsForm({
  projectId,
  onConnected,
}: {
  projectId: number;
  onConnected: (config: GitLabIntegrationConfig) => void;
}) {
  const connect = useConnectGitLab(projectId);
  const form = useSchemaForm(
    createGitLabIntegrationBody.pick({ gitlab_instance_url: true, access_token: true, webhook_secret: true }),
    {
      gitlab_instance_url: DEFAULT_GITLAB_INSTANCE_URL,
      access_token: "",
      webhook_secret: "",
    },
  );
  const { errors } = form.formState;

  return (
    <form
      noValidate
      aria-label="GitLab credentials"
      className="max-w-2xl space-y-5"
      onSubmit={submitRequest(form, connect.mutateAsync, onConnected, connectionFormErrors)}
    >
      <FormError message={errors.root?.server?.message} />
      <TextField
        label="GitLab instance URL"
        type="url"
        {...fieldProps(form, "gitlab_instance_url")}
        hint="https://gitlab.com, or your own GitLab including any path it is served under (e.g. https://example.com/gitlab)."
        autoComplete="url"
        spellCheck={false}
        required
      />
      <div className="space-y-2">
        <TextField
          label="Access token"
          type="password"
          {...fieldProps(form, "access_token")}
          placeholder="glpat-…"
          autoComplete="off"
          spellCheck={false}
          required
        />
        <TokenHelp instanceUrl={form.watch("gitlab_instance_url") ?? DEFAULT_GITLAB_INSTANCE_URL} />
      </div>
      <TextField
        label="Webhook secret (optional)"
        {...fieldProps(form, "webhook_secret")}
        hint="GitLab sends it with every webhook so Flagpost knows the call is real. Leave it empty and Flagpost generates a strong one."
        autoComplete="off"
        spellCheck={false}
      />
      <Button type="submit" variant="primary" pending={connect.isPending}>
        {connect.isPending ? "Checking with GitLab…" : "Save and check connection"}
      </Button>
    </form>
  );
}
