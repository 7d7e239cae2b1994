"use client";

import { FormProvider } from "react-hook-form";
import { RuleBuilder } from "@/components/segments/rule-builder";
import { SegmentTester } from "@/components/segments/segment-tester";
import { FormDialog } from "@/components/ui/form-dialog";
import { TextField } from "@/components/ui/text-field";
import { nestedServerErrors } from "@/lib/client/forms/nested-field-errors";
import { fieldProps, useSchemaForm } from "@/lib/client/forms/use-schema-form";
import type { Segment } from "@/lib/client/queries/types";
import { useCreateSegment } from "@/lib/client/queries/use-create-segment";
import { useUpdateSegment } from "@/lib/client/queries/use-update-segment";
import type { SegmentRule } from "@/lib/engine/types";
import { editableRules } from "@/lib/client/format/segment-rules";
import { createSegmentBody } from "@/lib/validations/core";

// Rules are edited in the builder (nested groups of conditions), checked by the same schema the API
// parses the body with; the server's 422 details land on the condition they name.

const ruleErrors = nestedServerErrors(["rules"]);

/** Create a segment (no `segment`) or edit one, rules and all. */
export function SegmentFormDialog({
  open,
  onClose,
  projectId,
  segment,
}: {
  open: boolean;
  onClose: () => void;
  projectId: number;
  segment?: Segment;
}) {
  const createSegment = useCreateSegment(projectId);
  const updateSegment = useUpdateSegment(projectId);
  const storedRules = Array.isArray(segment?.rules) ? (segment.rules as unknown as SegmentRule[]) : [];
  const form = useSchemaForm(createSegmentBody, {
    name: segment?.name ?? "",
    description: segment?.description ?? "",
    rules: editableRules(storedRules),
  });

  return (
    <FormDialog
      form={form}
      open={open}
      onClose={onClose}
      title={segment ? `Edit segment ${segment.name}` : "Create segment"}
      description="A segment is a group of identities defined by rules on their traits."
      size="xl"
      submitLabel={segment ? "Save segment" : "Create segment"}
      mapError={ruleErrors}
      onSubmit={(data) =>
        segment
          ? updateSegment.mutateAsync({ segmentId: segment.id, ...data })
          : createSegment.mutateAsync(data)
      }
      savedMessage={(_saved, data) =>
        segment ? `Saved segment ${data.name}` : `Created segment ${data.name}`
      }
    >
      <FormProvider {...form}>
        <TextField label="Name" {...fieldProps(form, "name")} autoFocus required />
        <TextField label="Description" multiline rows={2} {...fieldProps(form, "description")} />
        {segment?.legacy_rules != null && (
          <p className="rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900 dark:bg-amber-950 dark:text-amber-200">
            This segment had rules from before structured rules; they are kept read-only and never evaluated.
            Build its rules again below.
          </p>
        )}
        <RuleBuilder />
        <SegmentTester projectId={projectId} segmentId={segment?.id} />
      </FormProvider>
    </FormDialog>
  );
}
