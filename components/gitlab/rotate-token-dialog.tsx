"use client";

import { useState } from "react";
import { connectionFormErrors } from "@/components/gitlab/connection-errors";
import { TokenHelp } from "@/components/gitlab/token-help";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/form-error";
import { TextField } from "@/components/ui/text-field";
import { toast } from "sonner";
import { noErrors, validate, type FormErrors } from "@/lib/client/forms/field-errors";
import type { GitLabIntegrationConfig } from "@/lib/client/queries/gitlab-types";
import { useUpdateGitLabIntegration } from "@/lib/client/queries/use-update-gitlab-integration";
import { updateGitLabIntegrationBody } from "@/lib/validations/gitlab";

/** Replaces the stored token with a new one, after GitLab confirms the new one works. */
export function RotateTokenDialog({ open, onClose, config }: { open: boolean; onClose: () => void; config: GitLabIntegrationConfig }) {
  const update = useUpdateGitLabIntegration(config.project, config.id);
  const [token, setToken] = useState("");
  const [errors, setErrors] = useState<FormErrors>(noErrors);

  const close = () => {
    setToken("");
    setErrors(noErrors);
    onClose();
  };

  const submit = () => {
    const { data, errors: invalid } = validate(updateGitLabIntegrationBody.required({ access_token: true }), { access_token: token });
    if (!data) return setErrors(invalid);
    update.mutate(
      { access_token: data.access_token },
      {
        onSuccess: () => {
          toast.success("Access token rotated");
          close();
        },
        onError: (error) => setErrors(connectionFormErrors(error, ["access_token"])),
      },
    );
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      title="Rotate the access token"
      description={`Paste a new token for ${config.gitlab_instance_url}. Flagpost checks it with GitLab before replacing the old one.`}
      dismissible={!update.isPending}
      onSubmit={submit}
      footer={
        <>
          <Button onClick={close} disabled={update.isPending}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" pending={update.isPending}>
            Replace token
          </Button>
        </>
      }
    >
      <FormError message={errors.form} />
      <TextField
        label="New access token"
        type="password"
        value={token}
        onChange={(event) => setToken(event.target.value)}
        error={errors.fields.access_token}
        autoComplete="off"
        spellCheck={false}
        required
      />
      <TokenHelp instanceUrl={config.gitlab_instance_url} />
    </Dialog>
  );
}
