"use client";

import { z } from "zod";
import { FormDialog } from "@/components/ui/form-dialog";
import { Select } from "@/components/ui/select";
import { fieldProps, useSchemaForm } from "@/lib/client/forms/use-schema-form";
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

// The shared body, with a plain sentence for the empty "Choose a person…" choice.
const addMemberForm = addProjectMemberBody.extend({
  user: z.number({ error: "Choose a person" }).pipe(addProjectMemberBody.shape.user),
});

/** Adds someone who already belongs to the organisation to this project. */
export function AddMemberDialog({
  open,
  onClose,
  projectId,
  organisationId,
  memberIds,
}: AddMemberDialogProps) {
  const addMember = useAddProjectMember(projectId);
  const users = useOrganisationUsers(organisationId, { page_size: 100 }, { enabled: open });
  const form = useSchemaForm(addMemberForm, { role: "EDITOR" });
  const { errors } = form.formState;

  // Organisation admins already administer every project, so adding them would change nothing.
  const candidates = (users.data?.results ?? []).filter(
    (candidate) => candidate.role !== "ADMIN" && !memberIds.includes(candidate.id),
  );

  return (
    <FormDialog
      form={form}
      open={open}
      onClose={onClose}
      title="Add member"
      description="People are added to the organisation first (Organisation settings), then to projects."
      submitLabel="Add member"
      onSubmit={addMember.mutateAsync}
      savedMessage={(member) => `Added ${member.user.name || member.user.email} to the project`}
    >
      <Select
        label="Person"
        {...form.register("user", { valueAsNumber: true })}
        placeholder={
          users.isPending
            ? "Loading people…"
            : candidates.length
              ? "Choose a person…"
              : "Everyone is already a member"
        }
        hint="Organisation admins are not listed: they administer every project already."
        options={candidates.map((candidate) => ({
          value: String(candidate.id),
          label: candidate.name ? `${candidate.name} (${candidate.email})` : candidate.email,
        }))}
        error={
          errors.user?.message ?? (users.isError ? "Could not load the organisation's people." : undefined)
        }
      />
      <Select label="Role" {...fieldProps(form, "role")} options={projectRoleOptions} />
    </FormDialog>
  );
}
