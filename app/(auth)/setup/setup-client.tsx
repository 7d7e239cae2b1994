"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { TextField } from "@/components/ui/text-field";
import { fieldProps, submitRequest, useSchemaForm } from "@/lib/client/forms/use-schema-form";
import { isApiClientError } from "@/lib/client/queries/api-client";
import { useFirstRunSetup } from "@/lib/client/queries/use-first-run-setup";
import { firstRunSetupBody } from "@/lib/validations/core";

// Blank optional fields are left out rather than sent as "".
const optionalText = <S extends z.ZodType<string | undefined, string | undefined>>(field: S) =>
  z
    .string()
    .transform((text) => text.trim() || undefined)
    .pipe(field);
const setupForm = firstRunSetupBody.extend({
  name: optionalText(firstRunSetupBody.shape.name),
  organisation_name: optionalText(firstRunSetupBody.shape.organisation_name),
});

export function SetupClient({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const setup = useFirstRunSetup();
  const form = useSchemaForm(setupForm, { name: "", email: "", password: "", organisation_name: "" });
  const { errors } = form.formState;

  return (
    <form
      noValidate
      className="space-y-4"
      onSubmit={submitRequest(
        form,
        // Someone finished the first run meanwhile: signing in is what is left.
        (data) =>
          setup
            .mutateAsync(data)
            .catch((error: unknown) => (isApiClientError(error, 409) ? "taken" : Promise.reject(error))),
        async (outcome, data) => {
          const result =
            outcome === "taken"
              ? null
              : await signIn("credentials", { email: data.email, password: data.password, redirect: false });
          // Without a session (the account exists but sign-in failed), signing in by hand is all that is left.
          if (!result || result.error)
            return router.replace(`/login?callbackUrl=${encodeURIComponent(callbackUrl)}`);
          router.replace(callbackUrl);
          router.refresh();
        },
      )}
    >
      <div className="space-y-1">
        <h1 className="text-lg font-semibold">Welcome to Flagpost</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Create the first administrator account and your organisation.
        </p>
      </div>
      <FormError message={errors.root?.server?.message} />
      <TextField label="Your name" autoComplete="name" {...fieldProps(form, "name")} />
      <TextField label="Email" type="email" autoComplete="username" {...fieldProps(form, "email")} required />
      <TextField
        label="Password"
        type="password"
        autoComplete="new-password"
        hint="At least 10 characters."
        {...fieldProps(form, "password")}
        required
      />
      <TextField
        label="Organisation name"
        autoComplete="organization"
        {...fieldProps(form, "organisation_name")}
      />
      <Button type="submit" variant="primary" className="w-full" pending={form.formState.isSubmitting}>
        Create account
      </Button>
    </form>
  );
}
