"use client";

import { FormDialog } from "@/components/ui/form-dialog";
import { TextField } from "@/components/ui/text-field";
import { fieldProps, useSchemaForm } from "@/lib/client/forms/use-schema-form";
import type { Environment } from "@/lib/client/queries/types";
import { useCreateEnvironment } from "@/lib/client/queries/use-create-environment";
import { useUpdateEnvironment } from "@/lib/client/queries/use-update-environment";
import { environmentNameBody } from "@/lib/validations/core";

/** Creates an environment (no `environment`) or renames one; both only ask for a name. */
export function EnvironmentNameDialog({
  open,
  onClose,
  projectId,
  environment,
}: {
  open: boolean;
  onClose: () => void;
  projectId: number;
  environment?: Environment;
}) {
  const createEnvironment = useCreateEnvironment(projectId);
  const updateEnvironment = useUpdateEnvironment(projectId);
  // Same name rules as the server's create and rename bodies.
  const form = useSchemaForm(environmentNameBody, { name: environment?.name ?? "" });

  return (
    <FormDialog
      form={form}
      open={open}
      onClose={onClose}
      size="sm"
      title={environment ? `Rename ${environment.name}` : "Create environment"}
      description={
        environment
          ? "The API key stays the same."
          : "Every feature gets a state in the new environment, from its defaults."
      }
      submitLabel={environment ? "Rename" : "Create environment"}
      onSubmit={(data) =>
        environment
          ? updateEnvironment.mutateAsync({ apiKey: environment.api_key, name: data.name })
          : createEnvironment.mutateAsync(data)
      }
      savedMessage={(saved) =>
        environment ? `Renamed ${environment.name} to ${saved.name}` : `Created environment ${saved.name}`
      }
    >
      <TextField label="Name" {...fieldProps(form, "name")} autoFocus required />
    </FormDialog>
  );
}
