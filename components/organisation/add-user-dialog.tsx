"use client";

import { FormDialog } from "@/components/ui/form-dialog";
import { Select } from "@/components/ui/select";
import { TextField } from "@/components/ui/text-field";
import { useSchemaForm } from "@/lib/client/forms/use-schema-form";
import type { OrganisationRole } from "@/lib/client/queries/types";
import { useCreateOrganisationUser } from "@/lib/client/queries/use-create-organisation-user";
import { createUserBody } from "@/lib/validations/core";

export const organisationRoleOptions: { value: OrganisationRole; label: string }[] = [
  { value: "MEMBER", label: "Member" },
  { value: "ADMIN", label: "Admin" },
];

export function AddUserDialog({ open, onClose, organisationId }: { open: boolean; onClose: () => void; organisationId: number }) {
  const createUser = useCreateOrganisationUser(organisationId);
  const form = useSchemaForm(createUserBody, { name: "", email: "", password: "", role: "MEMBER" });
  const { errors } = form.formState;

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
      <TextField label="Name" {...form.register("name")} error={errors.name?.message} autoComplete="off" />
      <TextField label="Email" type="email" {...form.register("email")} error={errors.email?.message} autoComplete="off" required />
      <TextField
        label="Password"
        type="password"
        {...form.register("password")}
        error={errors.password?.message}
        hint="At least 10 characters."
        autoComplete="new-password"
        required
      />
      <Select
        label="Organisation role"
        {...form.register("role")}
        options={organisationRoleOptions}
        hint="Admins administer every project and can add people and API keys."
        error={errors.role?.message}
      />
    </FormDialog>
  );
}
