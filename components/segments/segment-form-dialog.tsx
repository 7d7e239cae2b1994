"use client";

import { z } from "zod";
import { FormDialog } from "@/components/ui/form-dialog";
import { TextField } from "@/components/ui/text-field";
import { fieldProps, useSchemaForm } from "@/lib/client/forms/use-schema-form";
import type { Segment } from "@/lib/client/queries/types";
import { useCreateSegment } from "@/lib/client/queries/use-create-segment";
import { useUpdateSegment } from "@/lib/client/queries/use-update-segment";
import { createSegmentBody } from "@/lib/validations/core";

// Rules are edited as JSON text; parsed here, then checked by the shared rule schema.
const rulesText = z.string().transform((text, context) => {
  try {
    const rules: unknown = text.trim() ? JSON.parse(text) : [];
    if (Array.isArray(rules)) return rules;
    context.addIssue({ code: "custom", message: "Rules must be a JSON array, like [ … ]" });
  } catch (error) {
    context.addIssue({
      code: "custom",
      message: `Not valid JSON: ${error instanceof Error ? error.message : "could not parse"}`,
    });
  }
  return z.NEVER;
});
const segmentForm = createSegmentBody.extend({
  rules: rulesText.pipe(createSegmentBody.shape.rules.unwrap()),
});

const RULES_PLACEHOLDER = `[
  { "trait": "plan", "operator": "EQUAL", "value": "enterprise" }
]`;

/** Create a segment (no `segment`) or edit one. Rules are JSON: an array of rule objects. */
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
  const form = useSchemaForm(segmentForm, {
    name: segment?.name ?? "",
    description: segment?.description ?? "",
    rules: segment ? JSON.stringify(segment.rules, null, 2) : "[]",
  });

  return (
    <FormDialog
      form={form}
      open={open}
      onClose={onClose}
      title={segment ? `Edit segment ${segment.name}` : "Create segment"}
      description="A segment is a group of users defined by rules on their traits."
      size="lg"
      submitLabel={segment ? "Save segment" : "Create segment"}
      onSubmit={(data) =>
        segment
          ? updateSegment.mutateAsync({ segmentId: segment.id, ...data })
          : createSegment.mutateAsync(data)
      }
      savedMessage={(_saved, data) =>
        segment ? `Saved segment ${data.name}` : `Created segment ${data.name}`
      }
    >
      <TextField label="Name" {...fieldProps(form, "name")} autoFocus required />
      <TextField label="Description" multiline rows={2} {...fieldProps(form, "description")} />
      <TextField
        label="Rules (JSON)"
        multiline
        rows={8}
        {...fieldProps(form, "rules")}
        placeholder={RULES_PLACEHOLDER}
        hint="A JSON array of rules; [] matches no one until rules are added."
        spellCheck={false}
        className="[&_textarea]:font-mono [&_textarea]:text-xs"
      />
    </FormDialog>
  );
}
