"use client";

import type { ReactNode } from "react";
import type { FieldValues } from "react-hook-form";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/form-error";
import { submitRequest, type ErrorMapper, type SchemaForm } from "@/lib/client/forms/use-schema-form";

interface FormDialogProps<TInput extends FieldValues, TOutput, TResult> {
  form: SchemaForm<TInput, TOutput>;
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  size?: "sm" | "md" | "lg" | "xl";
  submitLabel: ReactNode;
  /** Sends the schema's parsed output (a mutation's mutateAsync); while it runs the dialog stays put. */
  onSubmit: (values: TOutput) => Promise<TResult>;
  /** The toast once saved; the dialog then resets and closes. */
  savedMessage?: (result: TResult, values: TOutput) => string;
  onSaved?: (result: TResult) => void;
  /** Stay open after saving (e.g. to show what was created once). */
  keepOpen?: boolean;
  mapError?: ErrorMapper;
  children: ReactNode;
}

/** The one shell for dialogs that edit something: Cancel/submit, API errors on the fields, reset on close. */
export function FormDialog<TInput extends FieldValues, TOutput, TResult>(
  props: FormDialogProps<TInput, TOutput, TResult>,
) {
  const {
    form,
    open,
    onClose,
    title,
    description,
    size,
    submitLabel,
    onSubmit,
    savedMessage,
    onSaved,
    keepOpen,
    mapError,
    children,
  } = props;
  const pending = form.formState.isSubmitting;
  const close = () => {
    form.reset();
    onClose();
  };
  const saved = (result: TResult, values: TOutput) => {
    if (savedMessage) toast.success(savedMessage(result, values));
    if (!keepOpen) close();
    onSaved?.(result);
  };
  return (
    <Dialog
      open={open}
      onClose={close}
      title={title}
      description={description}
      size={size}
      onSubmit={submitRequest(form, onSubmit, saved, mapError)}
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
