"use client";

import { useState } from "react";
import { z } from "zod";
import { ValueEditor } from "@/components/features/value-editor";
import { Checkbox } from "@/components/ui/checkbox";
import { FormDialog } from "@/components/ui/form-dialog";
import { SearchField } from "@/components/ui/search-field";
import { Select } from "@/components/ui/select";
import { fieldProps, useSchemaForm } from "@/lib/client/forms/use-schema-form";
import { useDebouncedValue } from "@/lib/client/hooks/use-debounced-value";
import { useValueDraftField, valueDraftField, valueDraftOf } from "@/lib/client/hooks/use-value-draft";
import type { Environment, Identity, IdentityOverride } from "@/lib/client/queries/types";
import { useFeatures } from "@/lib/client/queries/use-features";
import {
  useCreateIdentityOverride,
  useUpdateIdentityOverride,
} from "@/lib/client/queries/use-identity-overrides";
import { createIdentityOverrideBody } from "@/lib/validations/evaluation";

// An identity's own state of one feature (beats every segment override): enabled + value.

const overrideForm = createIdentityOverrideBody.pick({ feature: true }).extend({
  feature: z.number({ error: "Choose a feature" }).pipe(createIdentityOverrideBody.shape.feature),
  enabled: z.boolean(),
  feature_state_value: valueDraftField,
});

export function IdentityOverrideDialog({
  open,
  onClose,
  projectId,
  environment,
  identity,
  override,
  takenFeatureIds,
}: {
  open: boolean;
  onClose: () => void;
  projectId: number;
  environment: Environment;
  identity: Identity;
  /** Editing this override; without it, adding one. */
  override?: IdentityOverride;
  takenFeatureIds: number[];
}) {
  const createOverride = useCreateIdentityOverride(projectId, environment.api_key, identity.id);
  const updateOverride = useUpdateIdentityOverride(projectId, environment.api_key, identity.id);
  const [featureSearch, setFeatureSearch] = useState("");
  const search = useDebouncedValue(featureSearch.trim());
  const features = useFeatures(projectId, { search: search || undefined, page_size: 100 });
  const form = useSchemaForm(overrideForm, {
    feature: override?.feature.id,
    enabled: override?.enabled ?? true,
    feature_state_value: valueDraftOf(override?.feature_state_value ?? null),
  });
  const value = useValueDraftField(form.control, "feature_state_value");

  const options = (features.data?.results ?? []).map((feature) => ({
    value: String(feature.id),
    label: takenFeatureIds.includes(feature.id) ? `${feature.name} (already overridden)` : feature.name,
    disabled: takenFeatureIds.includes(feature.id),
  }));

  return (
    <FormDialog
      form={form}
      open={open}
      onClose={() => {
        setFeatureSearch("");
        onClose();
      }}
      title={override ? `Edit override of ${override.feature.name}` : "Add identity override"}
      description={`${identity.identifier} gets this state in ${environment.name}, whatever its segments say.`}
      size="lg"
      submitLabel={override ? "Save override" : "Add override"}
      onSubmit={(data) =>
        override
          ? updateOverride.mutateAsync({
              overrideId: override.id,
              enabled: data.enabled,
              feature_state_value: data.feature_state_value,
            })
          : createOverride.mutateAsync(data)
      }
      savedMessage={(saved) =>
        override
          ? `Saved the override of ${saved.feature.name} for ${identity.identifier}`
          : `Added an override of ${saved.feature.name} for ${identity.identifier}`
      }
    >
      {override ? (
        <p className="text-sm">
          Feature: <strong>{override.feature.name}</strong>
        </p>
      ) : (
        <>
          <SearchField label="Find a feature" value={featureSearch} onChange={setFeatureSearch} />
          <Select
            label="Feature"
            {...fieldProps(form, "feature", { valueAsNumber: true })}
            placeholder={
              features.isPending
                ? "Loading features…"
                : options.length
                  ? "Choose a feature…"
                  : "No features found"
            }
            options={options}
          />
        </>
      )}
      <Checkbox label={`Enabled for ${identity.identifier}`} {...form.register("enabled")} />
      <ValueEditor
        draft={value}
        label="Override value"
        error={form.formState.errors.feature_state_value?.message}
      />
    </FormDialog>
  );
}
