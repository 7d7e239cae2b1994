"use client";

import { useRouter } from "next/navigation";
import { Checkbox } from "@/components/ui/checkbox";
import { FormDialog } from "@/components/ui/form-dialog";
import { Select } from "@/components/ui/select";
import { TextField } from "@/components/ui/text-field";
import { fieldProps, useSchemaForm } from "@/lib/client/forms/use-schema-form";
import { useCreateProject } from "@/lib/client/queries/use-create-project";
import type { Organisation } from "@/lib/client/queries/types";
import { routes } from "@/lib/client/routes";
import { createProjectBody } from "@/lib/validations/core";

/** New project; organisation admins of several organisations choose which one it goes into. */
export function CreateProjectDialog({
  open,
  onClose,
  organisations,
}: {
  open: boolean;
  onClose: () => void;
  organisations: Organisation[];
}) {
  const router = useRouter();
  const createProject = useCreateProject();
  const chooseOrganisation = organisations.length > 1;
  const form = useSchemaForm(createProjectBody, {
    name: "",
    organisation: chooseOrganisation ? organisations[0]?.id : undefined,
    create_default_environments: true,
  });

  return (
    <FormDialog
      form={form}
      open={open}
      onClose={onClose}
      title="Create project"
      description="A project holds features, segments and environments."
      submitLabel="Create project"
      onSubmit={createProject.mutateAsync}
      savedMessage={(project) => `Created project ${project.name}`}
      onSaved={(project) => router.push(routes.project(project.id))}
    >
      <TextField label="Name" {...fieldProps(form, "name")} autoFocus required />
      {chooseOrganisation && (
        <Select
          label="Organisation"
          {...fieldProps(form, "organisation", { valueAsNumber: true })}
          options={organisations.map((org) => ({ value: String(org.id), label: org.name }))}
        />
      )}
      <Checkbox
        label="Create Development and Production environments"
        hint="You can add, rename and remove environments later."
        {...form.register("create_default_environments")}
      />
    </FormDialog>
  );
}
