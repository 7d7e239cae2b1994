"use client";

import { z } from "zod";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { FormError } from "@/components/ui/form-error";
import { TextField } from "@/components/ui/text-field";
import { toast } from "sonner";
import { fieldProps, submitRequest, useSchemaForm } from "@/lib/client/forms/use-schema-form";
import type { Project } from "@/lib/client/queries/types";
import { useUpdateProject } from "@/lib/client/queries/use-update-project";
import { updateProjectBody } from "@/lib/validations/core";

// zod would report an empty field as "expected number"; say what is wanted instead.
const days = "Enter a whole number of days from 1 to 365";
const projectGeneralForm = updateProjectBody.extend({
  stale_flag_threshold_days: z
    .number({ error: days })
    .int(days)
    .min(1, days)
    .max(365, days)
    .pipe(updateProjectBody.shape.stale_flag_threshold_days.unwrap()),
});

/** Project name, stale-flag threshold and hide-disabled-flags. Read-only for people who are not project admins. */
export function ProjectGeneralForm({ project, canAdmin }: { project: Project; canAdmin: boolean }) {
  const updateProject = useUpdateProject(project.id);
  const form = useSchemaForm(projectGeneralForm, {
    name: project.name,
    stale_flag_threshold_days: project.stale_flag_threshold_days,
    hide_disabled_flags: project.hide_disabled_flags,
  });
  const { errors } = form.formState;

  return (
    <form
      noValidate
      className="max-w-xl space-y-4 rounded-lg border border-zinc-200 bg-white p-5 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
      onSubmit={submitRequest(
        form,
        updateProject.mutateAsync,
        () => void toast.success("Project settings saved"),
      )}
    >
      <fieldset disabled={!canAdmin} className="space-y-4">
        <legend className="sr-only">General</legend>
        <FormError message={errors.root?.server?.message} />
        <TextField label="Project name" {...fieldProps(form, "name")} required />
        <TextField
          label="Stale flag threshold (days)"
          type="number"
          min={1}
          max={365}
          step={1}
          inputMode="numeric"
          {...fieldProps(form, "stale_flag_threshold_days", { valueAsNumber: true })}
          hint="A flag whose linked work is done and whose state has not changed for this long is reported as stale."
          className="max-w-xs"
        />
        <Checkbox
          label="Hide disabled flags from SDKs"
          hint="Applications reading flags (Flagsmith SDK API) do not receive disabled flags, as Flagsmith's setting of the same name."
          {...form.register("hide_disabled_flags")}
        />
      </fieldset>
      {canAdmin ? (
        <Button type="submit" variant="primary" pending={form.formState.isSubmitting}>
          Save changes
        </Button>
      ) : (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">
          Only project administrators can change these settings.
        </p>
      )}
    </form>
  );
}
