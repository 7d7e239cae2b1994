"use client";

import { useState } from "react";
import { ValueEditor } from "@/components/features/value-editor";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Dialog } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/form-error";
import { SearchField } from "@/components/ui/search-field";
import { Select } from "@/components/ui/select";
import { toast } from "sonner";
import { noErrors, serverErrors, validate, type FormErrors } from "@/lib/client/forms/field-errors";
import { useDebouncedValue } from "@/lib/client/hooks/use-debounced-value";
import { useValueDraft } from "@/lib/client/hooks/use-value-draft";
import type { Environment, Feature } from "@/lib/client/queries/types";
import { useCreateSegmentOverride } from "@/lib/client/queries/use-create-segment-override";
import { useSegments } from "@/lib/client/queries/use-segments";
import { createSegmentOverrideBody } from "@/lib/validations/core";

const fields = ["segment", "enabled", "feature_state_value", "environment", "priority"] as const;

interface AddSegmentOverrideDialogProps {
  open: boolean;
  onClose: () => void;
  feature: Feature;
  environment: Environment;
  /** Segments that already have an override here (one per segment and environment). */
  takenSegmentIds: number[];
}

export function AddSegmentOverrideDialog({ open, onClose, feature, environment, takenSegmentIds }: AddSegmentOverrideDialogProps) {
  const createOverride = useCreateSegmentOverride(feature.project, feature.id);
  const [segmentSearch, setSegmentSearch] = useState("");
  const search = useDebouncedValue(segmentSearch.trim());
  const segments = useSegments(feature.project, { search: search || undefined, page_size: 100 }, { enabled: open });
  const [segment, setSegment] = useState("");
  const [enabled, setEnabled] = useState(true);
  const value = useValueDraft(null);
  const [errors, setErrors] = useState<FormErrors>(noErrors);

  const close = () => {
    setSegment("");
    setSegmentSearch("");
    setEnabled(true);
    value.reset(null);
    setErrors(noErrors);
    createOverride.reset();
    onClose();
  };

  const submit = () => {
    const parsed = value.parse();
    const { data, errors: invalid } = validate(createSegmentOverrideBody, {
      environment: environment.id,
      segment: segment ? Number(segment) : undefined,
      enabled,
      feature_state_value: parsed.ok ? parsed.value : undefined,
    });
    if (!data || !parsed.ok) {
      const segmentError = segment ? invalid?.fields.segment : "Choose a segment";
      return setErrors({
        fields: { ...invalid?.fields, segment: segmentError, ...(parsed.ok ? {} : { feature_state_value: parsed.error }) },
        form: invalid?.form,
      });
    }
    createOverride.mutate(data, {
      onSuccess: (override) => {
        toast.success(`Added an override for ${override.segment.name} in ${environment.name}`);
        close();
      },
      onError: (error) => setErrors(serverErrors(error, fields)),
    });
  };

  const options = (segments.data?.results ?? []).map((row) => ({
    value: String(row.id),
    label: takenSegmentIds.includes(row.id) ? `${row.name} (already overridden)` : row.name,
    disabled: takenSegmentIds.includes(row.id),
  }));

  return (
    <Dialog
      open={open}
      onClose={close}
      title="Add segment override"
      description={`Users in the segment get this state of ${feature.name} in ${environment.name} instead of the environment's.`}
      size="lg"
      onSubmit={submit}
      dismissible={!createOverride.isPending}
      footer={
        <>
          <Button onClick={close} disabled={createOverride.isPending}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" pending={createOverride.isPending}>
            Add override
          </Button>
        </>
      }
    >
      <FormError message={errors.form} />
      <div className="space-y-2">
        <SearchField label="Find a segment" value={segmentSearch} onChange={setSegmentSearch} />
        <Select
          label="Segment"
          value={segment}
          onChange={(event) => setSegment(event.target.value)}
          placeholder={segments.isPending ? "Loading segments…" : options.length ? "Choose a segment…" : "No segments found"}
          options={options}
          error={errors.fields.segment}
          hint={segments.isError ? "Could not load segments." : undefined}
        />
      </div>
      <Checkbox label="Enabled for this segment" checked={enabled} onChange={(event) => setEnabled(event.target.checked)} />
      <ValueEditor draft={value} label="Override value" error={errors.fields.feature_state_value} />
    </Dialog>
  );
}
