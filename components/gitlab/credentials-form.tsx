"use client";

import { useState } from "react";
import { connectionFormErrors } from "@/components/gitlab/connection-errors";
import { TokenHelp } from "@/components/gitlab/token-help";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { TextField } from "@/components/ui/text-field";
import { noErrors, validate, type FormErrors } from "@/lib/client/forms/field-errors";
import type { GitLabIntegrationConfig } from "@/lib/client/queries/gitlab-types";
import { useConnectGitLab } from "@/lib/client/queries/use-connect-gitlab";
import { createGitLabIntegrationBody, DEFAULT_GITLAB_INSTANCE_URL } from "@/lib/validations/gitlab";

const fields = ["gitlab_instance_url", "access_token", "webhook_secret"] as const;

/** Step 1: where GitLab is and the token Flagpost acts with. Saving checks both with GitLab. */
export function CredentialsForm({ projectId, onConnected }: { projectId: number; onConnected: (config: GitLabIntegrationConfig) => void }) {
  const connect = useConnectGitLab(projectId);
  const [instanceUrl, setInstanceUrl] = useState(DEFAULT_GITLAB_INSTANCE_URL);
  const [token, setToken] = useState("");
  const [secret, setSecret] = useState("");
  const [errors, setErrors] = useState<FormErrors>(noErrors);

  const submit = () => {
    const { data, errors: invalid } = validate(createGitLabIntegrationBody, { gitlab_instance_url: instanceUrl, access_token: token, webhook_secret: secret });
    if (!data) return setErrors(invalid);
    setErrors(noErrors);
    connect.mutate(
      { gitlab_instance_url: data.gitlab_instance_url, access_token: data.access_token, webhook_secret: data.webhook_secret },
      { onSuccess: onConnected, onError: (error) => setErrors(connectionFormErrors(error, fields)) },
    );
  };

  return (
    <form
      noValidate
      aria-label="GitLab credentials"
      className="max-w-2xl space-y-5"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <FormError message={errors.form} />
      <TextField
        label="GitLab instance URL"
        type="url"
        value={instanceUrl}
        onChange={(event) => setInstanceUrl(event.target.value)}
        error={errors.fields.gitlab_instance_url}
        hint="https://gitlab.com, or your own GitLab including any path it is served under (e.g. https://example.com/gitlab)."
        autoComplete="url"
        spellCheck={false}
        required
      />
      <div className="space-y-2">
        <TextField
          label="Access token"
          type="password"
          value={token}
          onChange={(event) => setToken(event.target.value)}
          error={errors.fields.access_token}
          placeholder="glpat-…"
          autoComplete="off"
          spellCheck={false}
          required
        />
        <TokenHelp instanceUrl={instanceUrl} />
      </div>
      <TextField
        label="Webhook secret (optional)"
        value={secret}
        onChange={(event) => setSecret(event.target.value)}
        error={errors.fields.webhook_secret}
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
