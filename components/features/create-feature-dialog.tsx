"use client";

import { TagChip } from "@/components/features/tag-chip";
import { ValueEditor } from "@/components/features/value-editor";
import { Checkbox } from "@/components/ui/checkbox";
import { FormDialog } from "@/components/ui/form-dialog";
import { TextField } from "@/components/ui/text-field";
import { fieldProps, useSchemaForm } from "@/lib/client/forms/use-schema-form";
import { useValueDraftField, valueDraftField, valueDraftOf } from "@/lib/client/hooks/use-value-draft";
import type { Tag } from "@/lib/client/queries/types";
import { useCreateFeature } from "@/lib/client/queries/use-create-feature";
import { createFeatureBody } from "@/lib/validations/core";

const createFeatureForm = createFeatureBody.extend({ initial_value: valueDraftField });

interface CreateFeatureDialogProps {
  open: boolean;
  onClose: () => void;
  projectId: number;
  tags: Tag[];
}

export function CreateFeatureDialog({ open, onClose, projectId, tags }: CreateFeatureDialogProps) {
  const createFeature = useCreateFeature(projectId);
  const form = useSchemaForm(createFeatureForm, {
    name: "",
    description: "",
    default_enabled: false,
    initial_value: valueDraftOf(null),
    tags: [],
  });
  const value = useValueDraftField(form.control, "initial_value");
  const { errors } = form.formState;
  const userTags = tags.filter((tag) => !tag.is_system_tag);
  const selectedTags = form.watch("tags") ?? [];

  return (
    <FormDialog
      form={form}
      open={open}
      onClose={onClose}
      title="Create feature"
      description="The feature is added to every environment of the project, with the defaults below."
      size="lg"
      submitLabel="Create feature"
      onSubmit={(data) =>
        createFeature.mutateAsync({
          ...data,
          description: data.description || undefined,
          tags: data.tags?.length ? data.tags : undefined,
        })
      }
      savedMessage={(feature) => `Created feature ${feature.name}`}
    >
      <TextField
        label="Name"
        {...fieldProps(form, "name")}
        hint="Letters, digits, '_', '-', '.' and ':' — this is the key your code asks for."
        autoFocus
        spellCheck={false}
        autoComplete="off"
        required
      />
      <TextField label="Description" multiline rows={2} {...fieldProps(form, "description")} />
      <Checkbox
        label="Enabled by default"
        hint="The feature starts on in every environment."
        {...form.register("default_enabled")}
      />
      <ValueEditor draft={value} error={errors.initial_value?.message} label="Initial value" />
      {userTags.length > 0 && (
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-zinc-800 dark:text-zinc-200">Tags</legend>
          <div className="flex flex-wrap gap-3">
            {userTags.map((tag) => (
              <Checkbox
                key={tag.id}
                label={<TagChip tag={tag} />}
                checked={selectedTags.includes(tag.id)}
                onChange={(event) =>
                  form.setValue(
                    "tags",
                    event.target.checked
                      ? [...selectedTags, tag.id]
                      : selectedTags.filter((id) => id !== tag.id),
                  )
                }
              />
            ))}
          </div>
          {errors.tags && <p className="text-xs text-red-600">{errors.tags.message}</p>}
        </fieldset>
      )}
    </FormDialog>
  );
}
