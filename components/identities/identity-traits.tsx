"use client";

import { Pencil, Trash2 } from "lucide-react";
import { z } from "zod";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ErrorState } from "@/components/ui/error-state";
import { FormError } from "@/components/ui/form-error";
import { Section } from "@/components/ui/page-header";
import { Select } from "@/components/ui/select";
import { TableSkeleton } from "@/components/ui/skeleton";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { TextField } from "@/components/ui/text-field";
import { serverErrors } from "@/lib/client/forms/field-errors";
import {
  fieldProps,
  submitRequest,
  useSchemaForm,
  type ErrorMapper,
} from "@/lib/client/forms/use-schema-form";
import { parseTypedTrait, TRAIT_TYPE_OPTIONS, traitTypeOf } from "@/lib/client/format/traits";
import { errorMessage } from "@/lib/client/queries/api-client";
import type { Trait } from "@/lib/client/queries/types";
import { useDeleteTrait, useIdentityTraits, useSetTrait } from "@/lib/client/queries/use-identity-traits";
import { traitKeyField } from "@/lib/validations/evaluation";

// An identity's traits with their types. One form sets a trait: a new key adds it, an existing key
// replaces its value (the API's POST does exactly that), so "Edit" just fills the form.

const traitForm = z
  .object({ trait_key: traitKeyField, type: z.enum(["string", "number", "boolean"]), value: z.string() })
  .superRefine((input, ctx) => {
    const parsed = parseTypedTrait(input.type, input.value);
    if (!parsed.ok) ctx.addIssue({ code: "custom", path: ["value"], message: parsed.error });
  })
  .transform((input) => {
    const parsed = parseTypedTrait(input.type, input.value);
    return { trait_key: input.trait_key, trait_value: parsed.ok ? parsed.value : input.value };
  });

/** The API names `trait_value`; the form calls that control `value`. */
const traitErrors: ErrorMapper = (error, knownFields) => {
  const mapped = serverErrors(error, [...knownFields, "trait_value"]);
  if (mapped.fields.trait_value) {
    mapped.fields.value = mapped.fields.trait_value;
    delete mapped.fields.trait_value;
  }
  return mapped;
};

const typeLabel = { string: "Text", number: "Number", boolean: "Boolean" } as const;

export function IdentityTraits({
  projectId,
  apiKey,
  identityId,
  canEdit,
}: {
  projectId: number;
  apiKey: string;
  identityId: number;
  canEdit: boolean;
}) {
  const traits = useIdentityTraits(apiKey, identityId);
  const setTrait = useSetTrait(projectId, apiKey, identityId);
  const deleteTrait = useDeleteTrait(projectId, apiKey, identityId);
  const form = useSchemaForm(traitForm, { trait_key: "", type: "string", value: "" });
  const type = form.watch("type");

  const edit = (trait: Trait) =>
    form.reset({
      trait_key: trait.trait_key,
      type: traitTypeOf(trait.trait_value),
      value: String(trait.trait_value),
    });

  const remove = (trait: Trait) =>
    deleteTrait.mutate(trait.id, {
      onSuccess: () => toast.success(`Removed trait ${trait.trait_key}`),
      onError: (error) => toast.error(`Could not remove trait ${trait.trait_key}: ${errorMessage(error)}`),
    });

  return (
    <Section title="Traits" description="Segment rules compare these, by their type (42 and “42” differ).">
      {traits.isPending ? (
        <TableSkeleton rows={2} columns={3} label="Loading traits…" />
      ) : traits.isError ? (
        <ErrorState
          error={traits.error}
          onRetry={() => void traits.refetch()}
          title="Could not load traits"
        />
      ) : traits.data.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">No traits yet.</p>
      ) : (
        <Table caption="Traits">
          <THead>
            <tr>
              <TH>Key</TH>
              <TH className="w-28">Type</TH>
              <TH>Value</TH>
              {canEdit && (
                <TH className="w-32">
                  <span className="sr-only">Actions</span>
                </TH>
              )}
            </tr>
          </THead>
          <TBody>
            {traits.data.map((trait) => (
              <TR key={trait.id}>
                <TD className="font-mono text-xs">{trait.trait_key}</TD>
                <TD>
                  <Badge>{typeLabel[traitTypeOf(trait.trait_value)]}</Badge>
                </TD>
                <TD className="font-mono text-xs break-all">{String(trait.trait_value)}</TD>
                {canEdit && (
                  <TD className="text-right whitespace-nowrap">
                    <Button
                      variant="ghost"
                      size="sm"
                      aria-label={`Edit trait ${trait.trait_key}`}
                      onClick={() => edit(trait)}
                    >
                      <Pencil aria-hidden className="size-4" />
                    </Button>
                    <Button
                      variant="ghost"
                      size="sm"
                      aria-label={`Remove trait ${trait.trait_key}`}
                      onClick={() => remove(trait)}
                    >
                      <Trash2 aria-hidden className="size-4" />
                    </Button>
                  </TD>
                )}
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      {canEdit && (
        <form
          noValidate
          aria-label="Set a trait"
          className="space-y-2"
          onSubmit={submitRequest(
            form,
            (data) => setTrait.mutateAsync(data),
            (trait) => {
              toast.success(`Set trait ${trait.trait_key}`);
              form.reset({ trait_key: "", type: "string", value: "" });
            },
            traitErrors,
          )}
        >
          <FormError message={form.formState.errors.root?.server?.message} />
          <div className="grid items-start gap-2 sm:grid-cols-[1fr_8rem_1fr_auto]">
            <TextField label="Trait key" {...fieldProps(form, "trait_key")} />
            <Select label="Trait type" options={TRAIT_TYPE_OPTIONS} {...fieldProps(form, "type")} />
            {type === "boolean" ? (
              <Select
                label="Trait value"
                options={[
                  { value: "true", label: "true" },
                  { value: "false", label: "false" },
                ]}
                placeholder="Choose…"
                {...fieldProps(form, "value")}
              />
            ) : (
              <TextField
                label="Trait value"
                type={type === "number" ? "number" : "text"}
                step="any"
                {...fieldProps(form, "value")}
              />
            )}
            <Button type="submit" variant="primary" className="sm:mt-6" pending={form.formState.isSubmitting}>
              Set trait
            </Button>
          </div>
        </form>
      )}
    </Section>
  );
}
