"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/form-error";
import { TextField } from "@/components/ui/text-field";
import { toast } from "sonner";
import { noErrors, serverErrors, validate, type FormErrors } from "@/lib/client/forms/field-errors";
import type { Segment } from "@/lib/client/queries/types";
import { useCreateSegment } from "@/lib/client/queries/use-create-segment";
import { useUpdateSegment } from "@/lib/client/queries/use-update-segment";
import { createSegmentBody } from "@/lib/validations/core";

const fields = ["name", "description", "rules"] as const;

const RULES_PLACEHOLDER = `[
  { "trait": "plan", "operator": "EQUAL", "value": "enterprise" }
]`;

/** Create a segment (no `segment`) or edit one. Rules are JSON: an array of rule objects. */
export function SegmentFormDialog({ open, onClose, projectId, segment }: { open: boolean; onClose: () => void; projectId: number; segment?: Segment }) {
  const createSegment = useCreateSegment(projectId);
  const updateSegment = useUpdateSegment(projectId);
  const pending = createSegment.isPending || updateSegment.isPending;
  const [name, setName] = useState(segment?.name ?? "");
  const [description, setDescription] = useState(segment?.description ?? "");
  const [rules, setRules] = useState(segment ? JSON.stringify(segment.rules, null, 2) : "[]");
  const [errors, setErrors] = useState<FormErrors>(noErrors);

  const close = () => {
    setErrors(noErrors);
    if (!segment) {
      setName("");
      setDescription("");
      setRules("[]");
    }
    onClose();
  };

  const submit = () => {
    let parsedRules: unknown;
    try {
      parsedRules = rules.trim() ? JSON.parse(rules) : [];
    } catch (error) {
      return setErrors({ fields: { rules: `Not valid JSON: ${error instanceof Error ? error.message : "could not parse"}` } });
    }
    if (!Array.isArray(parsedRules)) return setErrors({ fields: { rules: "Rules must be a JSON array, like [ … ]" } });
    const { data, errors: invalid } = validate(createSegmentBody, { name, description, rules: parsedRules });
    if (!data) return setErrors(invalid);
    const options = {
      onSuccess: () => {
        toast.success(segment ? `Saved segment ${data.name}` : `Created segment ${data.name}`);
        close();
      },
      onError: (error: unknown) => setErrors(serverErrors(error, fields)),
    };
    if (segment) updateSegment.mutate({ segmentId: segment.id, ...data }, options);
    else createSegment.mutate(data, options);
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      title={segment ? `Edit segment ${segment.name}` : "Create segment"}
      description="A segment is a group of users defined by rules on their traits."
      size="lg"
      onSubmit={submit}
      dismissible={!pending}
      footer={
        <>
          <Button onClick={close} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" pending={pending}>
            {segment ? "Save segment" : "Create segment"}
          </Button>
        </>
      }
    >
      <FormError message={errors.form} />
      <TextField label="Name" value={name} onChange={(event) => setName(event.target.value)} error={errors.fields.name} autoFocus required />
      <TextField
        label="Description"
        multiline
        rows={2}
        value={description}
        onChange={(event) => setDescription(event.target.value)}
        error={errors.fields.description}
      />
      <TextField
        label="Rules (JSON)"
        multiline
        rows={8}
        value={rules}
        placeholder={RULES_PLACEHOLDER}
        onChange={(event) => setRules(event.target.value)}
        error={errors.fields.rules}
        hint="A JSON array of rules; [] matches no one until rules are added."
        spellCheck={false}
        className="[&_textarea]:font-mono [&_textarea]:text-xs"
      />
    </Dialog>
  );
}
