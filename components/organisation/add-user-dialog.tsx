"use client";

import { FormDialog } from "@/components/ui/form-dialog";
import { Select } from "@/components/ui/select";
import { TextField } from "@/components/ui/text-field";
import { fieldProps, useSchemaForm } from "@/lib/client/forms/use-schema-form";
import type { OrganisationRole } from "@/lib/client/queries/types";
import { useCreateOrganisationUser } from "@/lib/client/queries/use-create-organisation-user";
import { createUserBody } from "@/lib/validations/core";

export const organisationRoleOptions: { value: OrganisationRole; label: string }[] = [
  { value: "MEMBER", label: "Member" },
  { value: "ADMIN", label: "Admin" },
];

export function AddUserDialog({
  open,
  onClose,
  organisationId,
}: {
  open: boolean;
  onClose: () => void;
  organisationId: number;
}) {
  const createUser = useCreateOrganisationUser(organisationId);
  const form = useSchemaForm(createUserBody, { name: "", email: "", password: "", role: "MEMBER" });

  return (
    <FormDialog
      form={form}
      open={open}
      onClose={onClose}
      title="Add user"
      description="Give them the password through a safe channel; members then need a role on each project."
      submitLabel="Add user"
      onSubmit={(data) => createUser.mutateAsync({ ...data, name: data.name || undefined })}
      savedMessage={(user) => `Added ${user.email}`}
    >
      <TextField label="Name" {...fieldProps(form, "name")} autoComplete="off" />
      <TextField label="Email" type="email" {...fieldProps(form, "email")} autoComplete="off" required />
      <TextField
        label="Password"
        type="password"
        {...fieldProps(form, "password")}
        hint="At least 10 characters."
        autoComplete="new-password"
        required
      />
      <Select
        label="Organisation role"
        {...fieldProps(form, "role")}
        options={organisationRoleOptions}
        hint="Admins administer every project and can add people and API keys."
      />
    </FormDialog>
  );
}
