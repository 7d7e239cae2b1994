"use client";

import { FormDialog } from "@/components/ui/form-dialog";
import { TextField } from "@/components/ui/text-field";
import { fieldProps, useSchemaForm } from "@/lib/client/forms/use-schema-form";
import { updateMeBody } from "@/lib/validations/gitlab-username";

/**
 * Sets a person's GitLab username (the account page for oneself, the users page for admins).
 * Changes made from GitLab by that username then name this person too; it grants nothing.
 */
export function GitLabUsernameDialog({
  open,
  onClose,
  personName,
  current,
  onSubmit,
}: {
  open: boolean;
  onClose: () => void;
  personName: string;
  current: string | null;
  onSubmit: (gitlabUsername: string | null) => Promise<unknown>;
}) {
  const form = useSchemaForm(updateMeBody, { gitlab_username: current ?? "" });
  return (
    <FormDialog
      form={form}
      open={open}
      onClose={onClose}
      title="GitLab username"
      description={`Flag commands and release rules run from GitLab by this username are recorded as ${personName} too. It gives no permission: GitLab's project role decides.`}
      submitLabel="Save"
      onSubmit={(values) => onSubmit(values.gitlab_username)}
      savedMessage={(_result, values) =>
        values.gitlab_username ? `Linked to @${values.gitlab_username} in GitLab` : "GitLab username removed"
      }
    >
      <TextField
        label="GitLab username"
        hint="As in GitLab, without the @ (leave empty to remove)"
        autoComplete="off"
        autoFocus
        {...fieldProps(form, "gitlab_username")}
      />
    </FormDialog>
  );
}
