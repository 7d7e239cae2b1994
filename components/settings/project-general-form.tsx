"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { TextField } from "@/components/ui/text-field";
import { toast } from "sonner";
import { noErrors, serverErrors, validate, type FormErrors } from "@/lib/client/forms/field-errors";
import type { Project } from "@/lib/client/queries/types";
import { useUpdateProject } from "@/lib/client/queries/use-update-project";
import { updateProjectBody } from "@/lib/validations/core";

const fields = ["name", "stale_flag_threshold_days"] as const;

/** Project name and stale-flag threshold. Read-only for people who are not project admins. */
export function ProjectGeneralForm({ project, canAdmin }: { project: Project; canAdmin: boolean }) {
  const updateProject = useUpdateProject(project.id);
  const [name, setName] = useState(project.name);
  const [threshold, setThreshold] = useState(String(project.stale_flag_threshold_days));
  const [errors, setErrors] = useState<FormErrors>(noErrors);

  const submit = () => {
    const days = threshold.trim() === "" ? Number.NaN : Number(threshold);
    const { data, errors: invalid } = validate(updateProjectBody, { name, stale_flag_threshold_days: days });
    if (!data) {
      // zod reports NaN as "expected number"; say what is wanted instead.
      if (invalid.fields.stale_flag_threshold_days) invalid.fields.stale_flag_threshold_days = "Enter a whole number of days from 1 to 365";
      return setErrors(invalid);
    }
    updateProject.mutate(data, {
      onSuccess: () => {
        setErrors(noErrors);
        toast.success("Project settings saved");
      },
      onError: (error) => setErrors(serverErrors(error, fields)),
    });
  };

  return (
    <form
      noValidate
      className="max-w-xl space-y-4 rounded-lg border border-zinc-200 bg-white p-5 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <fieldset disabled={!canAdmin} className="space-y-4">
        <legend className="sr-only">General</legend>
        <FormError message={errors.form} />
        <TextField label="Project name" value={name} onChange={(event) => setName(event.target.value)} error={errors.fields.name} required />
        <TextField
          label="Stale flag threshold (days)"
          type="number"
          min={1}
          max={365}
          step={1}
          inputMode="numeric"
          value={threshold}
          onChange={(event) => setThreshold(event.target.value)}
          error={errors.fields.stale_flag_threshold_days}
          hint="A flag whose linked work is done and whose state has not changed for this long is reported as stale."
          className="max-w-xs"
        />
      </fieldset>
      {canAdmin ? (
        <Button type="submit" variant="primary" pending={updateProject.isPending}>
          Save changes
        </Button>
      ) : (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">Only project administrators can change these settings.</p>
      )}
    </form>
  );
}
