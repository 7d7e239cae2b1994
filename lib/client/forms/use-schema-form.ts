"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import {
  get,
  useForm,
  type DefaultValues,
  type FieldValues,
  type Path,
  type RegisterOptions,
  type UseFormReturn,
} from "react-hook-form";
import type { z } from "zod";
import { serverErrors, type FormErrors } from "@/lib/client/forms/field-errors";

/** A react-hook-form form checked, before sending, by the same zod schema the API parses the body with. */
export function useSchemaForm<S extends z.ZodType<FieldValues, FieldValues>>(
  schema: S,
  defaultValues: DefaultValues<z.input<S>>,
) {
  return useForm<z.input<S>, unknown, z.output<S>>({ resolver: zodResolver(schema), defaultValues });
}

/** Props for a labelled control (TextField, Select): the field's registration and its error message. */
export function fieldProps<T extends FieldValues, O>(
  form: UseFormReturn<T, unknown, O>,
  name: Path<T>,
  options?: RegisterOptions<T, Path<T>>,
) {
  return {
    ...form.register(name, options),
    error: (get(form.formState.errors, name) as { message?: string } | undefined)?.message,
  };
}

export type SchemaForm<TInput extends FieldValues = FieldValues, TOutput = TInput> = UseFormReturn<
  TInput,
  unknown,
  TOutput
>;

/** Turns a failed request into form errors, given the fields the form shows. */
export type ErrorMapper = (error: unknown, knownFields: readonly string[]) => FormErrors;

/** Puts the API's answer on the form: messages under the fields it named, the rest above the fields. */
function showServerErrors<T extends FieldValues, O>(
  form: UseFormReturn<T, unknown, O>,
  error: unknown,
  mapError: ErrorMapper = serverErrors,
) {
  const { fields, form: formMessage } = mapError(error, Object.keys(form.getValues()));
  for (const [field, message] of Object.entries(fields))
    if (message) form.setError(field as Path<T>, { type: "server", message });
  if (formMessage) form.setError("root.server", { type: "server", message: formMessage });
}

/**
 * The form's submit handler: valid values go to `send` (a mutation's mutateAsync); a refusal lands
 * on the form, success goes to `onSaved`. The form counts as submitting until both are done.
 */
export function submitRequest<T extends FieldValues, O, R>(
  form: UseFormReturn<T, unknown, O>,
  send: (values: O) => Promise<R>,
  onSaved: (result: R, values: O) => void | Promise<void>,
  mapError?: ErrorMapper,
) {
  return form.handleSubmit(async (values) => {
    let result: R;
    try {
      result = await send(values);
    } catch (error) {
      return showServerErrors(form, error, mapError);
    }
    await onSaved(result, values);
  });
}
