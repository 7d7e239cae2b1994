"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { TextField } from "@/components/ui/text-field";
import { fieldProps, useSchemaForm } from "@/lib/client/forms/use-schema-form";
import { emailField } from "@/lib/validations/core";

const loginForm = z.object({ email: emailField, password: z.string().min(1, "Enter your password") });

// next-auth reports why a credentials sign-in failed with these codes.
const signInErrors: Record<string, string> = {
  RateLimited: "Too many attempts: wait a few seconds, then try again.",
  CredentialsSignin: "Wrong email or password.",
};

export function LoginClient({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const form = useSchemaForm(loginForm, { email: "", password: "" });
  const { errors } = form.formState;
  const failed = (message: string) => form.setError("root.server", { message });

  const submit = async (data: z.output<typeof loginForm>) => {
    try {
      const result = await signIn("credentials", {
        email: data.email,
        password: data.password,
        redirect: false,
      });
      if (!result || result.error)
        return failed(signInErrors[result?.error ?? ""] ?? "Could not sign in. Please try again.");
      router.replace(callbackUrl);
      router.refresh();
    } catch {
      failed("Could not reach the server. Check your connection and try again.");
    }
  };

  return (
    <form noValidate className="space-y-4" onSubmit={form.handleSubmit(submit)}>
      <h1 className="text-lg font-semibold">Sign in</h1>
      <FormError message={errors.root?.server?.message} />
      <TextField label="Email" type="email" autoComplete="username" {...fieldProps(form, "email")} required />
      <TextField
        label="Password"
        type="password"
        autoComplete="current-password"
        {...fieldProps(form, "password")}
        required
      />
      <Button type="submit" variant="primary" className="w-full" pending={form.formState.isSubmitting}>
        Sign in
      </Button>
    </form>
  );
}
