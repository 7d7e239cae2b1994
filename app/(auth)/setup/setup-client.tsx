"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type ChangeEvent } from "react";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { TextField } from "@/components/ui/text-field";
import { noErrors, serverErrors, validate, type FormErrors } from "@/lib/client/forms/field-errors";
import { isApiClientError } from "@/lib/client/queries/api-client";
import { useFirstRunSetup } from "@/lib/client/queries/use-first-run-setup";
import { firstRunSetupBody } from "@/lib/validations/core";

const fields = ["name", "email", "password", "organisation_name"] as const;

export function SetupClient() {
  const router = useRouter();
  const setup = useFirstRunSetup();
  const [values, setValues] = useState({ name: "", email: "", password: "", organisation_name: "" });
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [signingIn, setSigningIn] = useState(false);

  const set = (field: keyof typeof values) => (event: ChangeEvent<HTMLInputElement>) =>
    setValues((current) => ({ ...current, [field]: event.target.value }));

  const submit = () => {
    const { data, errors: invalid } = validate(firstRunSetupBody, {
      email: values.email,
      password: values.password,
      // Blank optional fields are left out rather than sent as "".
      name: values.name.trim() || undefined,
      organisation_name: values.organisation_name.trim() || undefined,
    });
    if (!data) return setErrors(invalid);
    setErrors(noErrors);
    setup.mutate(data, {
      onSuccess: async () => {
        setSigningIn(true);
        const result = await signIn("credentials", { email: data.email, password: data.password, redirect: false });
        if (result?.error) {
          // The account exists; signing in by hand is all that is left.
          router.replace("/login");
          return;
        }
        router.replace("/projects");
        router.refresh();
      },
      onError: (error) => {
        if (isApiClientError(error, 409)) {
          router.replace("/login");
          return;
        }
        setErrors(serverErrors(error, fields));
      },
    });
  };

  return (
    <form
      noValidate
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <div className="space-y-1">
        <h1 className="text-lg font-semibold">Welcome to Flagpost</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Create the first administrator account and your organisation.</p>
      </div>
      <FormError message={errors.form} />
      <TextField label="Your name" autoComplete="name" value={values.name} onChange={set("name")} error={errors.fields.name} />
      <TextField
        label="Email"
        type="email"
        autoComplete="username"
        value={values.email}
        onChange={set("email")}
        error={errors.fields.email}
        required
      />
      <TextField
        label="Password"
        type="password"
        autoComplete="new-password"
        hint="At least 10 characters."
        value={values.password}
        onChange={set("password")}
        error={errors.fields.password}
        required
      />
      <TextField
        label="Organisation name"
        autoComplete="organization"
        value={values.organisation_name}
        onChange={set("organisation_name")}
        error={errors.fields.organisation_name}
      />
      <Button type="submit" variant="primary" className="w-full" pending={setup.isPending || signingIn}>
        Create account
      </Button>
    </form>
  );
}
