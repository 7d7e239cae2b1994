"use client";

import type { ReactNode } from "react";
import type { FieldValues } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/form-error";
import { showServerErrors, type ErrorMapper, type SchemaForm } from "@/lib/client/forms/use-schema-form";

/** What a form dialog's submit handler calls when its request settles. */
export interface FormDialogDone {
  /** Success: reset the form and close. */
  close: () => void;
  /** Failure: the API's field errors under their fields, the rest above them; the dialog stays open. */
  fail: (error: unknown) => void;
}

interface FormDialogProps<TInput extends FieldValues, TOutput> {
  form: SchemaForm<TInput, TOutput>;
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  size?: "sm" | "md" | "lg";
  submitLabel: ReactNode;
  /** A request is on its way: the dialog cannot be dismissed and the submit button spins. */
  pending: boolean;
  /** Called with the schema's parsed output once client-side validation passes. */
  onSubmit: (values: TOutput, done: FormDialogDone) => void;
  mapError?: ErrorMapper;
  children: ReactNode;
}

/** The one shell for dialogs that edit something: Cancel/submit buttons, form-level error, reset on close. */
export function FormDialog<TInput extends FieldValues, TOutput>({ form, open, onClose, title, description, size, submitLabel, pending, onSubmit, mapError, children }: FormDialogProps<TInput, TOutput>) {
  const close = () => {
    form.reset();
    onClose();
  };
  const fail = (error: unknown) => showServerErrors(form, error, mapError);
  return (
    <Dialog
      open={open}
      onClose={close}
      title={title}
      description={description}
      size={size}
      onSubmit={form.handleSubmit((values) => onSubmit(values, { close, fail }))}
      dismissible={!pending}
      footer={
        <>
          <Button onClick={close} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" pending={pending}>
            {submitLabel}
          </Button>
        </>
      }
    >
      <FormError message={form.formState.errors.root?.server?.message} />
      {children}
    </Dialog>
  );
}
