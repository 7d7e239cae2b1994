"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/form-error";
import { Select } from "@/components/ui/select";
import { toast } from "sonner";
import { noErrors, serverErrors, validate, type FormErrors } from "@/lib/client/forms/field-errors";
import type { ProjectRole } from "@/lib/client/queries/types";
import { useAddProjectMember } from "@/lib/client/queries/use-add-project-member";
import { useOrganisationUsers } from "@/lib/client/queries/use-organisation-users";
import { addProjectMemberBody } from "@/lib/validations/core";

export const projectRoleOptions: { value: ProjectRole; label: string }[] = [
  { value: "VIEWER", label: "Viewer — can look" },
  { value: "EDITOR", label: "Editor — can change flags, segments and tags" },
  { value: "ADMIN", label: "Admin — can also change settings, environments and members" },
];

interface AddMemberDialogProps {
  open: boolean;
  onClose: () => void;
  projectId: number;
  organisationId: number;
  memberIds: number[];
}

/** Adds someone who already belongs to the organisation to this project. */
export function AddMemberDialog({ open, onClose, projectId, organisationId, memberIds }: AddMemberDialogProps) {
  const addMember = useAddProjectMember(projectId);
  const users = useOrganisationUsers(organisationId, { page_size: 100 }, { enabled: open });
  const [user, setUser] = useState("");
  const [role, setRole] = useState<ProjectRole>("EDITOR");
  const [errors, setErrors] = useState<FormErrors>(noErrors);

  const close = () => {
    setUser("");
    setRole("EDITOR");
    setErrors(noErrors);
    onClose();
  };

  // Organisation admins already administer every project, so adding them would change nothing.
  const candidates = (users.data?.results ?? []).filter((candidate) => candidate.role !== "ADMIN" && !memberIds.includes(candidate.id));

  const submit = () => {
    if (!user) return setErrors({ fields: { user: "Choose a person" } });
    const { data, errors: invalid } = validate(addProjectMemberBody, { user: Number(user), role });
    if (!data) return setErrors(invalid);
    addMember.mutate(data, {
      onSuccess: (member) => {
        toast.success(`Added ${member.user.name || member.user.email} to the project`);
        close();
      },
      onError: (error) => setErrors(serverErrors(error, ["user", "role"])),
    });
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      title="Add member"
      description="People are added to the organisation first (Organisation settings), then to projects."
      onSubmit={submit}
      dismissible={!addMember.isPending}
      footer={
        <>
          <Button onClick={close} disabled={addMember.isPending}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" pending={addMember.isPending}>
            Add member
          </Button>
        </>
      }
    >
      <FormError message={errors.form} />
      <Select
        label="Person"
        value={user}
        onChange={(event) => setUser(event.target.value)}
        placeholder={users.isPending ? "Loading people…" : candidates.length ? "Choose a person…" : "Everyone is already a member"}
        hint="Organisation admins are not listed: they administer every project already."
        options={candidates.map((candidate) => ({
          value: String(candidate.id),
          label: candidate.name ? `${candidate.name} (${candidate.email})` : candidate.email,
        }))}
        error={errors.fields.user ?? (users.isError ? "Could not load the organisation's people." : undefined)}
      />
      <Select label="Role" value={role} onChange={(event) => setRole(event.target.value as ProjectRole)} options={projectRoleOptions} error={errors.fields.role} />
    </Dialog>
  );
}
