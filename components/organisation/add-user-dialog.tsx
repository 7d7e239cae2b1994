"use client";

import { useState, type ChangeEvent } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/form-error";
import { Select } from "@/components/ui/select";
import { TextField } from "@/components/ui/text-field";
import { toast } from "sonner";
import { noErrors, serverErrors, validate, type FormErrors } from "@/lib/client/forms/field-errors";
import type { OrganisationRole } from "@/lib/client/queries/types";
import { useCreateOrganisationUser } from "@/lib/client/queries/use-create-organisation-user";
import { createUserBody } from "@/lib/validations/core";

export const organisationRoleOptions: { value: OrganisationRole; label: string }[] = [
  { value: "MEMBER", label: "Member" },
  { value: "ADMIN", label: "Admin" },
];

const fields = ["name", "email", "password", "role"] as const;
const empty = { name: "", email: "", password: "", role: "MEMBER" as OrganisationRole };

export function AddUserDialog({ open, onClose, organisationId }: { open: boolean; onClose: () => void; organisationId: number }) {
  const createUser = useCreateOrganisationUser(organisationId);
  const [values, setValues] = useState(empty);
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const set = (field: "name" | "email" | "password") => (event: ChangeEvent<HTMLInputElement>) =>
    setValues((current) => ({ ...current, [field]: event.target.value }));

  const close = () => {
    setValues(empty);
    setErrors(noErrors);
    onClose();
  };

  const submit = () => {
    const { data, errors: invalid } = validate(createUserBody, { ...values, name: values.name.trim() || undefined });
    if (!data) return setErrors(invalid);
    createUser.mutate(data, {
      onSuccess: (user) => {
        toast.success(`Added ${user.email}`);
        close();
      },
      onError: (error) => setErrors(serverErrors(error, fields)),
    });
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      title="Add user"
      description="Give them the password through a safe channel; members then need a role on each project."
      onSubmit={submit}
      dismissible={!createUser.isPending}
      footer={
        <>
          <Button onClick={close} disabled={createUser.isPending}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" pending={createUser.isPending}>
            Add user
          </Button>
        </>
      }
    >
      <FormError message={errors.form} />
      <TextField label="Name" value={values.name} onChange={set("name")} error={errors.fields.name} autoComplete="off" />
      <TextField label="Email" type="email" value={values.email} onChange={set("email")} error={errors.fields.email} autoComplete="off" required />
      <TextField
        label="Password"
        type="password"
        value={values.password}
        onChange={set("password")}
        error={errors.fields.password}
        hint="At least 10 characters."
        autoComplete="new-password"
        required
      />
      <Select
        label="Organisation role"
        value={values.role}
        onChange={(event) => setValues((current) => ({ ...current, role: event.target.value as OrganisationRole }))}
        options={organisationRoleOptions}
        hint="Admins administer every project and can add people and API keys."
        error={errors.fields.role}
      />
    </Dialog>
  );
}
