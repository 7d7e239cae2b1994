"use client";

import { Pencil, Plus, Trash2 } from "lucide-react";
import { useState } from "react";
import { get } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { useProtectedChange } from "@/components/environments/protected-change";
import type { FeatureTabContext } from "@/components/features/feature-tabs";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ErrorState } from "@/components/ui/error-state";
import { FormDialog } from "@/components/ui/form-dialog";
import { FormError } from "@/components/ui/form-error";
import { Section } from "@/components/ui/page-header";
import { Select } from "@/components/ui/select";
import { TableSkeleton } from "@/components/ui/skeleton";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { FieldError, TextField } from "@/components/ui/text-field";
import { serverErrors } from "@/lib/client/forms/field-errors";
import {
  fieldProps,
  submitRequest,
  useSchemaForm,
  type ErrorMapper,
} from "@/lib/client/forms/use-schema-form";
import type { MultivariateOption, VariantWeight } from "@/lib/client/queries/types";
import { useFeatureState } from "@/lib/client/queries/use-feature-state";
import {
  useCreateMultivariateOption,
  useDeleteMultivariateOption,
  useFeatureStateWeights,
  useMultivariateOptions,
  useUpdateFeatureStateWeights,
  useUpdateMultivariateOption,
} from "@/lib/client/queries/use-multivariate-options";
import {
  createMultivariateOptionBody,
  multivariateType,
  multivariateValuesField,
} from "@/lib/validations/evaluation";

// A feature's variants (Flagsmith's multivariate options): each a value and a default weight, and
// per environment its own weights. Weights sum to at most 100; the rest gets the control value
// (the environment's own value above). Identities are split by a hash, as Flagsmith's SDKs do.

const typeOptions = [
  { value: "unicode", label: "Text" },
  { value: "int", label: "Whole number" },
  { value: "bool", label: "Boolean" },
];

/** The dialog edits a value as text plus a type; the body is the API's, checked by its schema. */
const optionForm = z
  .object({
    type: multivariateType,
    value: z.string(),
    default_percentage_allocation: z.number({ error: "Enter a weight from 0 to 100" }),
  })
  .superRefine((input, ctx) => {
    const issue = (message: string) => ctx.addIssue({ code: "custom", path: ["value"], message });
    if (input.type === "int" && !/^-?\d+$/.test(input.value.trim())) issue("Enter a whole number");
    if (input.type === "bool" && input.value !== "true" && input.value !== "false")
      issue("Choose true or false");
  })
  .transform((input, ctx) => {
    const body = createMultivariateOptionBody.safeParse({
      type: input.type,
      string_value: input.type === "unicode" ? input.value : null,
      integer_value: input.type === "int" ? Number(input.value) : null,
      boolean_value: input.type === "bool" ? input.value === "true" : null,
      default_percentage_allocation: input.default_percentage_allocation,
    });
    if (body.success) return body.data;
    // The API schema's issues, on the form's controls (its three value fields are one control here).
    for (const issue of body.error.issues) {
      const field = String(issue.path[0] ?? "");
      ctx.addIssue({
        code: "custom",
        path: [field.endsWith("_value") ? "value" : field],
        message: issue.message,
      });
    }
    return z.NEVER;
  });

const optionErrors: ErrorMapper = (error, knownFields) => {
  const mapped = serverErrors(error, [...knownFields, "string_value", "integer_value", "boolean_value"]);
  for (const field of ["string_value", "integer_value", "boolean_value"]) {
    if (mapped.fields[field]) {
      mapped.fields.value ??= mapped.fields[field];
      delete mapped.fields[field];
    }
  }
  return mapped;
};

function optionValue(option: MultivariateOption): string {
  if (option.type === "int") return String(option.integer_value);
  if (option.type === "bool") return String(option.boolean_value);
  return option.string_value ?? "";
}

function VariantDialog({
  context,
  option,
  onClose,
}: {
  context: FeatureTabContext;
  option?: MultivariateOption;
  onClose: () => void;
}) {
  const { projectId, feature } = context;
  const create = useCreateMultivariateOption(projectId, feature.id);
  const update = useUpdateMultivariateOption(projectId, feature.id);
  const form = useSchemaForm(optionForm, {
    type: option?.type ?? "unicode",
    value: option ? optionValue(option) : "",
    default_percentage_allocation: option?.default_percentage_allocation ?? 0,
  });
  const type = form.watch("type");
  return (
    <FormDialog
      form={form}
      open
      onClose={onClose}
      title={option ? "Edit variant" : "Add variant"}
      description={`A value of ${feature.name} that a share of identities gets instead of the control value.`}
      submitLabel={option ? "Save variant" : "Add variant"}
      mapError={optionErrors}
      onSubmit={(body) =>
        option ? update.mutateAsync({ optionId: option.id, ...body }) : create.mutateAsync(body)
      }
      savedMessage={(saved) => `${option ? "Saved" : "Added"} variant ${optionValue(saved)}`}
    >
      <Select label="Variant type" options={typeOptions} {...fieldProps(form, "type")} />
      {type === "bool" ? (
        <Select
          label="Variant value"
          placeholder="Choose…"
          options={[
            { value: "true", label: "true" },
            { value: "false", label: "false" },
          ]}
          {...fieldProps(form, "value")}
        />
      ) : (
        <TextField
          label="Variant value"
          type={type === "int" ? "number" : "text"}
          autoFocus
          {...fieldProps(form, "value")}
        />
      )}
      <TextField
        label="Default weight (%)"
        type="number"
        min={0}
        max={100}
        step="any"
        hint="Its share in every environment that has not set its own weights"
        {...fieldProps(form, "default_percentage_allocation", { valueAsNumber: true })}
      />
    </FormDialog>
  );
}

const weightsForm = z.object({ weights: multivariateValuesField });

/** The API names the list `multivariate_feature_state_values`; the form calls it `weights`. */
const weightErrors: ErrorMapper = (error, knownFields) => {
  const mapped = serverErrors(error, [...knownFields, "multivariate_feature_state_values"]);
  if (mapped.fields.multivariate_feature_state_values) {
    mapped.fields.weights = mapped.fields.multivariate_feature_state_values;
    delete mapped.fields.multivariate_feature_state_values;
  }
  return mapped;
};

/** This environment's weights: one number per option, the control gets the rest. */
function EnvironmentWeights({
  context,
  options,
  stateId,
  weights,
}: {
  context: FeatureTabContext;
  options: MultivariateOption[];
  stateId: number;
  weights: VariantWeight[];
}) {
  const { projectId, environment, permissions } = context;
  const save = useUpdateFeatureStateWeights(projectId, environment.api_key, stateId);
  const guard = useProtectedChange(environment);
  const confirmWeights = (what: string) =>
    guard.confirm({
      title: `Change the variant weights of ${context.feature.name} in ${environment.name}?`,
      confirmLabel: "Change weights",
      consequence: (
        <>
          applications reading it split <strong className="font-mono">{context.feature.name}</strong> {what}{" "}
          as soon as you confirm.
        </>
      ),
    });
  const weightOf = (optionId: number) =>
    weights.find((weight) => weight.multivariate_feature_option === optionId)?.percentage_allocation ?? 0;
  const form = useSchemaForm(weightsForm, {
    weights: options.map((option) => ({
      multivariate_feature_option: option.id,
      percentage_allocation: weightOf(option.id),
    })),
  });
  const current = form.watch("weights");
  const total = current.reduce((sum, weight) => sum + (Number(weight.percentage_allocation) || 0), 0);
  const listError = get(form.formState.errors, "weights") as
    { message?: string; root?: { message?: string } } | undefined;
  return (
    <>
      {guard.dialog}
      <form
        noValidate
        aria-label={`Variant weights in ${environment.name}`}
        className="space-y-3"
        onSubmit={submitRequest(
          form,
          async (data) =>
            (await confirmWeights("by the new weights")) ? save.mutateAsync(data.weights) : null,
          (saved) => {
            if (saved) toast.success(`Saved variant weights in ${environment.name}`);
          },
          weightErrors,
        )}
      >
        <FormError message={form.formState.errors.root?.server?.message} />
        <div className="grid gap-3 sm:grid-cols-3">
          {options.map((option, index) => (
            <TextField
              key={option.id}
              label={`Weight of ${optionValue(option)} in ${environment.name} (%)`}
              type="number"
              min={0}
              max={100}
              step="any"
              disabled={!permissions.canEdit}
              {...fieldProps(form, `weights.${index}.percentage_allocation`, { valueAsNumber: true })}
            />
          ))}
        </div>
        <p className="text-sm text-zinc-700 tabular-nums dark:text-zinc-300" aria-live="polite">
          Variants {Math.round(total * 100) / 100}% · control value{" "}
          {Math.max(0, Math.round((100 - total) * 100) / 100)}%
        </p>
        <FieldError message={listError?.message ?? listError?.root?.message} />
        {permissions.canEdit && (
          <div className="flex gap-2">
            <Button type="submit" size="sm" variant="primary" pending={form.formState.isSubmitting}>
              Save weights
            </Button>
            <Button
              size="sm"
              disabled={save.isPending}
              onClick={async () => {
                if (!(await confirmWeights("by the default weights"))) return;
                save.mutate([], {
                  onSuccess: () => toast.success(`${environment.name} uses the default weights again`),
                });
              }}
            >
              Use default weights
            </Button>
          </div>
        )}
      </form>
    </>
  );
}

export function FeatureVariants({ context }: { context: FeatureTabContext }) {
  const { projectId, feature, environment, permissions } = context;
  const options = useMultivariateOptions(projectId, feature.id);
  const state = useFeatureState(environment.api_key, feature.id);
  const stateId = state.data?.id;
  const weights = useFeatureStateWeights(environment.api_key, stateId);
  const remove = useDeleteMultivariateOption(projectId, feature.id);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<MultivariateOption | null>(null);
  const [removing, setRemoving] = useState<MultivariateOption | null>(null);
  const rows = options.data ?? [];
  const defaultTotal = rows.reduce((sum, option) => sum + option.default_percentage_allocation, 0);

  return (
    <Section
      title="Variants"
      description="Other values of this feature, each served to a share of identities (the same identity always gets the same one). The rest get the control value."
      actions={
        permissions.canEdit && (
          <Button size="sm" onClick={() => setAdding(true)}>
            <Plus aria-hidden className="size-4" />
            Add variant
          </Button>
        )
      }
    >
      {options.isPending ? (
        <TableSkeleton rows={2} columns={3} label="Loading variants…" />
      ) : options.isError ? (
        <ErrorState
          error={options.error}
          onRetry={() => void options.refetch()}
          title="Could not load variants"
        />
      ) : rows.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          No variants: everyone gets the value above.
        </p>
      ) : (
        <div className="space-y-5">
          <Table caption="Variants">
            <THead>
              <tr>
                <TH>Value</TH>
                <TH className="w-32">Type</TH>
                <TH className="w-36">Default weight</TH>
                {permissions.canEdit && (
                  <TH className="w-28">
                    <span className="sr-only">Actions</span>
                  </TH>
                )}
              </tr>
            </THead>
            <TBody>
              {rows.map((option) => (
                <TR key={option.id}>
                  <TD className="font-mono text-xs break-all">{optionValue(option)}</TD>
                  <TD>{typeOptions.find((entry) => entry.value === option.type)?.label}</TD>
                  <TD className="tabular-nums">{option.default_percentage_allocation}%</TD>
                  {permissions.canEdit && (
                    <TD className="text-right whitespace-nowrap">
                      <Button
                        variant="ghost"
                        size="sm"
                        aria-label={`Edit variant ${optionValue(option)}`}
                        onClick={() => setEditing(option)}
                      >
                        <Pencil aria-hidden className="size-4" />
                      </Button>
                      <Button
                        variant="ghost"
                        size="sm"
                        aria-label={`Delete variant ${optionValue(option)}`}
                        onClick={() => setRemoving(option)}
                      >
                        <Trash2 aria-hidden className="size-4" />
                      </Button>
                    </TD>
                  )}
                </TR>
              ))}
            </TBody>
          </Table>
          <p className="text-xs text-zinc-500 dark:text-zinc-400">
            Default weights: {defaultTotal}% to variants, {Math.max(0, 100 - defaultTotal)}% to the control
            value.
          </p>
          <div className="space-y-2">
            <h3 className="text-sm font-semibold">Weights in {environment.name}</h3>
            {state.isSuccess && stateId === undefined ? (
              <p className="text-sm text-zinc-600 dark:text-zinc-400">
                This feature has no state in {environment.name}.
              </p>
            ) : weights.isError ? (
              <ErrorState
                error={weights.error}
                onRetry={() => void weights.refetch()}
                title="Could not load weights"
              />
            ) : !weights.data ? (
              <TableSkeleton rows={1} columns={3} label="Loading weights…" />
            ) : (
              <EnvironmentWeights
                // Fresh inputs whenever the saved weights or the options change.
                key={JSON.stringify([
                  rows.map((row) => row.id),
                  weights.data.multivariate_feature_state_values,
                ])}
                context={context}
                options={rows}
                stateId={weights.data.id}
                weights={weights.data.multivariate_feature_state_values}
              />
            )}
          </div>
        </div>
      )}
      {adding && <VariantDialog context={context} onClose={() => setAdding(false)} />}
      {editing && (
        <VariantDialog key={editing.id} context={context} option={editing} onClose={() => setEditing(null)} />
      )}
      <ConfirmDialog
        open={removing !== null}
        onClose={() => setRemoving(null)}
        title={`Delete variant ${removing ? optionValue(removing) : ""}?`}
        confirmLabel="Delete variant"
        onConfirm={async () => {
          if (!removing) return;
          await remove.mutateAsync(removing.id);
          toast.success(`Deleted variant ${optionValue(removing)}`);
        }}
      >
        <p>Its weight goes back to the control value in every environment.</p>
      </ConfirmDialog>
    </Section>
  );
}
