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
import type { Environment, Feature } from "@/lib/client/queries/types";
import { useCreateSegmentOverride } from "@/lib/client/queries/use-create-segment-override";
import { useSegments } from "@/lib/client/queries/use-segments";
import { createSegmentOverrideBody } from "@/lib/validations/core";

// The environment is the tab's; the segment comes from a select whose empty choice reads "Choose a segment".
const addOverrideForm = createSegmentOverrideBody.omit({ environment: true }).extend({
  segment: z.number({ error: "Choose a segment" }).pipe(createSegmentOverrideBody.shape.segment),
  feature_state_value: valueDraftField,
});

interface AddSegmentOverrideDialogProps {
  open: boolean;
  onClose: () => void;
  feature: Feature;
  environment: Environment;
  /** Segments that already have an override here (one per segment and environment). */
  takenSegmentIds: number[];
}

export function AddSegmentOverrideDialog({
  open,
  onClose,
  feature,
  environment,
  takenSegmentIds,
}: AddSegmentOverrideDialogProps) {
  const createOverride = useCreateSegmentOverride(feature.project, feature.id);
  const [segmentSearch, setSegmentSearch] = useState("");
  const search = useDebouncedValue(segmentSearch.trim());
  const segments = useSegments(
    feature.project,
    { search: search || undefined, page_size: 100 },
    { enabled: open },
  );
  const form = useSchemaForm(addOverrideForm, { enabled: true, feature_state_value: valueDraftOf(null) });
  const value = useValueDraftField(form.control, "feature_state_value");
  const { errors } = form.formState;

  const options = (segments.data?.results ?? []).map((row) => ({
    value: String(row.id),
    label: takenSegmentIds.includes(row.id) ? `${row.name} (already overridden)` : row.name,
    disabled: takenSegmentIds.includes(row.id),
  }));

  return (
    <FormDialog
      form={form}
      open={open}
      onClose={() => {
        setSegmentSearch("");
        onClose();
      }}
      title="Add segment override"
      description={`Users in the segment get this state of ${feature.name} in ${environment.name} instead of the environment's.`}
      size="lg"
      submitLabel="Add override"
      onSubmit={(data) => createOverride.mutateAsync({ ...data, environment: environment.id })}
      savedMessage={(override) => `Added an override for ${override.segment.name} in ${environment.name}`}
    >
      <div className="space-y-2">
        <SearchField label="Find a segment" value={segmentSearch} onChange={setSegmentSearch} />
        <Select
          label="Segment"
          {...fieldProps(form, "segment", { valueAsNumber: true })}
          placeholder={
            segments.isPending
              ? "Loading segments…"
              : options.length
                ? "Choose a segment…"
                : "No segments found"
          }
          options={options}
          hint={segments.isError ? "Could not load segments." : undefined}
        />
      </div>
      <Checkbox label="Enabled for this segment" {...form.register("enabled")} />
      <ValueEditor draft={value} label="Override value" error={errors.feature_state_value?.message} />
    </FormDialog>
  );
}
