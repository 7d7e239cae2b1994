"use client";

import { FormDialog } from "@/components/ui/form-dialog";
import { TextField } from "@/components/ui/text-field";
import { fieldProps, useSchemaForm } from "@/lib/client/forms/use-schema-form";
import type { Environment, Identity } from "@/lib/client/queries/types";
import { useCreateIdentity } from "@/lib/client/queries/use-identities";
import { createIdentityBody } from "@/lib/validations/evaluation";

export function CreateIdentityDialog({
  open,
  onClose,
  projectId,
  environment,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  projectId: number;
  environment: Environment;
  onCreated: (identity: Identity) => void;
}) {
  const createIdentity = useCreateIdentity(projectId, environment.api_key);
  const form = useSchemaForm(createIdentityBody, { identifier: "" });
  return (
    <FormDialog
      form={form}
      open={open}
      onClose={onClose}
      title="Create identity"
      description={`An identity is one user (or device) of your application in ${environment.name}, known by its identifier.`}
      submitLabel="Create identity"
      onSubmit={(data) => createIdentity.mutateAsync(data)}
      savedMessage={(identity) => `Created identity ${identity.identifier}`}
      onSaved={onCreated}
    >
      <TextField
        label="Identifier"
        hint="What your application sends as the identity, e.g. a user id or email"
        autoFocus
        required
        {...fieldProps(form, "identifier")}
      />
    </FormDialog>
  );
}
