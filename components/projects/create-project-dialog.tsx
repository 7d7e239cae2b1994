"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Dialog } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/form-error";
import { Select } from "@/components/ui/select";
import { TextField } from "@/components/ui/text-field";
import { toast } from "sonner";
import { noErrors, serverErrors, validate, type FormErrors } from "@/lib/client/forms/field-errors";
import { useCreateProject } from "@/lib/client/queries/use-create-project";
import type { Organisation } from "@/lib/client/queries/types";
import { routes } from "@/lib/client/routes";
import { createProjectBody } from "@/lib/validations/core";

const fields = ["name", "organisation", "create_default_environments"] as const;

/** New project; organisation admins of several organisations choose which one it goes into. */
export function CreateProjectDialog({ open, onClose, organisations }: { open: boolean; onClose: () => void; organisations: Organisation[] }) {
  const router = useRouter();
  const createProject = useCreateProject();
  const [name, setName] = useState("");
  const [organisation, setOrganisation] = useState(() => String(organisations[0]?.id ?? ""));
  const [withDefaults, setWithDefaults] = useState(true);
  const [errors, setErrors] = useState<FormErrors>(noErrors);

  const close = () => {
    setName("");
    setWithDefaults(true);
    setErrors(noErrors);
    createProject.reset();
    onClose();
  };

  const submit = () => {
    const { data, errors: invalid } = validate(createProjectBody, {
      name,
      organisation: organisations.length > 1 ? Number(organisation) : undefined,
      create_default_environments: withDefaults,
    });
    if (!data) return setErrors(invalid);
    createProject.mutate(data, {
      onSuccess: (project) => {
        toast.success(`Created project ${project.name}`);
        close();
        router.push(routes.project(project.id));
      },
      onError: (error) => setErrors(serverErrors(error, fields)),
    });
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      title="Create project"
      description="A project holds features, segments and environments."
      onSubmit={submit}
      dismissible={!createProject.isPending}
      footer={
        <>
          <Button onClick={close} disabled={createProject.isPending}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" pending={createProject.isPending}>
            Create project
          </Button>
        </>
      }
    >
      <FormError message={errors.form} />
      <TextField label="Name" value={name} onChange={(event) => setName(event.target.value)} error={errors.fields.name} autoFocus required />
      {organisations.length > 1 && (
        <Select
          label="Organisation"
          value={organisation}
          onChange={(event) => setOrganisation(event.target.value)}
          options={organisations.map((org) => ({ value: String(org.id), label: org.name }))}
          error={errors.fields.organisation}
        />
      )}
      <Checkbox
        label="Create Development and Production environments"
        hint="You can add, rename and remove environments later."
        checked={withDefaults}
        onChange={(event) => setWithDefaults(event.target.checked)}
      />
    </Dialog>
  );
}
