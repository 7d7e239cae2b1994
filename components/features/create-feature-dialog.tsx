"use client";

import { useState } from "react";
import { TagChip } from "@/components/features/tag-chip";
import { ValueEditor } from "@/components/features/value-editor";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Dialog } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/form-error";
import { TextField } from "@/components/ui/text-field";
import { toast } from "sonner";
import { noErrors, serverErrors, validate, type FormErrors } from "@/lib/client/forms/field-errors";
import { useValueDraft } from "@/lib/client/hooks/use-value-draft";
import type { Tag } from "@/lib/client/queries/types";
import { useCreateFeature } from "@/lib/client/queries/use-create-feature";
import { createFeatureBody } from "@/lib/validations/core";

const fields = ["name", "description", "default_enabled", "initial_value", "tags"] as const;

interface CreateFeatureDialogProps {
  open: boolean;
  onClose: () => void;
  projectId: number;
  tags: Tag[];
}

export function CreateFeatureDialog({ open, onClose, projectId, tags }: CreateFeatureDialogProps) {
  const createFeature = useCreateFeature(projectId);
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [defaultEnabled, setDefaultEnabled] = useState(false);
  const [selectedTags, setSelectedTags] = useState<number[]>([]);
  const value = useValueDraft(null);
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const userTags = tags.filter((tag) => !tag.is_system_tag);

  const close = () => {
    setName("");
    setDescription("");
    setDefaultEnabled(false);
    setSelectedTags([]);
    value.reset(null);
    setErrors(noErrors);
    createFeature.reset();
    onClose();
  };

  const submit = () => {
    const parsedValue = value.parse();
    const { data, errors: invalid } = validate(createFeatureBody, {
      name,
      description: description || undefined,
      default_enabled: defaultEnabled,
      initial_value: parsedValue.ok ? parsedValue.value : undefined,
      tags: selectedTags.length ? selectedTags : undefined,
    });
    if (!data || !parsedValue.ok) {
      const fieldsWithValue = { ...invalid?.fields, ...(parsedValue.ok ? {} : { initial_value: parsedValue.error }) };
      return setErrors({ fields: fieldsWithValue, form: invalid?.form });
    }
    createFeature.mutate(data, {
      onSuccess: (feature) => {
        toast.success(`Created feature ${feature.name}`);
        close();
      },
      onError: (error) => setErrors(serverErrors(error, fields)),
    });
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      title="Create feature"
      description="The feature is added to every environment of the project, with the defaults below."
      size="lg"
      onSubmit={submit}
      dismissible={!createFeature.isPending}
      footer={
        <>
          <Button onClick={close} disabled={createFeature.isPending}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" pending={createFeature.isPending}>
            Create feature
          </Button>
        </>
      }
    >
      <FormError message={errors.form} />
      <TextField
        label="Name"
        value={name}
        onChange={(event) => setName(event.target.value)}
        error={errors.fields.name}
        hint="Letters, digits, '_', '-', '.' and ':' — this is the key your code asks for."
        autoFocus
        spellCheck={false}
        autoComplete="off"
        required
      />
      <TextField
        label="Description"
        multiline
        rows={2}
        value={description}
        onChange={(event) => setDescription(event.target.value)}
        error={errors.fields.description}
      />
      <Checkbox
        label="Enabled by default"
        hint="The feature starts on in every environment."
        checked={defaultEnabled}
        onChange={(event) => setDefaultEnabled(event.target.checked)}
      />
      <ValueEditor draft={value} error={errors.fields.initial_value} label="Initial value" />
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
                  setSelectedTags((current) => (event.target.checked ? [...current, tag.id] : current.filter((id) => id !== tag.id)))
                }
              />
            ))}
          </div>
          {errors.fields.tags && <p className="text-xs text-red-600">{errors.fields.tags}</p>}
        </fieldset>
      )}
    </Dialog>
  );
}
