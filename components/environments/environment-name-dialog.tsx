"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/form-error";
import { TextField } from "@/components/ui/text-field";
import { toast } from "sonner";
import { noErrors, serverErrors, validate, type FormErrors } from "@/lib/client/forms/field-errors";
import type { Environment } from "@/lib/client/queries/types";
import { useCreateEnvironment } from "@/lib/client/queries/use-create-environment";
import { useUpdateEnvironment } from "@/lib/client/queries/use-update-environment";
import { updateEnvironmentBody } from "@/lib/validations/core";

/** Creates an environment (no `environment`) or renames one; both only ask for a name. */
export function EnvironmentNameDialog({ open, onClose, projectId, environment }: { open: boolean; onClose: () => void; projectId: number; environment?: Environment }) {
  const createEnvironment = useCreateEnvironment(projectId);
  const updateEnvironment = useUpdateEnvironment(projectId);
  const pending = createEnvironment.isPending || updateEnvironment.isPending;
  const [name, setName] = useState(environment?.name ?? "");
  const [errors, setErrors] = useState<FormErrors>(noErrors);

  const close = () => {
    setErrors(noErrors);
    if (!environment) setName("");
    onClose();
  };

  const submit = () => {
    // Same name rules as the server's create and rename bodies.
    const { data, errors: invalid } = validate(updateEnvironmentBody, { name });
    if (!data) return setErrors(invalid);
    const onError = (error: unknown) => setErrors(serverErrors(error, ["name"]));
    if (environment) {
      updateEnvironment.mutate(
        { apiKey: environment.api_key, name: data.name },
        {
          onSuccess: (renamed) => {
            toast.success(`Renamed ${environment.name} to ${renamed.name}`);
            close();
          },
          onError,
        },
      );
    } else {
      createEnvironment.mutate(data, {
        onSuccess: (created) => {
          toast.success(`Created environment ${created.name}`);
          close();
        },
        onError,
      });
    }
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      size="sm"
      title={environment ? `Rename ${environment.name}` : "Create environment"}
      description={environment ? "The API key stays the same." : "Every feature gets a state in the new environment, from its defaults."}
      onSubmit={submit}
      dismissible={!pending}
      footer={
        <>
          <Button onClick={close} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" pending={pending}>
            {environment ? "Rename" : "Create environment"}
          </Button>
        </>
      }
    >
      <FormError message={errors.form} />
      <TextField label="Name" value={name} onChange={(event) => setName(event.target.value)} error={errors.fields.name} autoFocus required />
    </Dialog>
  );
}
