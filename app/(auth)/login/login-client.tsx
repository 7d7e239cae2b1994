"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { TextField } from "@/components/ui/text-field";
import { noErrors, validate, type FormErrors } from "@/lib/client/forms/field-errors";
import { emailField } from "@/lib/validations/core";

const loginForm = z.object({ email: emailField, password: z.string().min(1, "Enter your password") });

// next-auth reports why a credentials sign-in failed with these codes.
const signInErrors: Record<string, string> = {
  RateLimited: "Too many attempts, try again in a few minutes.",
  CredentialsSignin: "Wrong email or password.",
};

export function LoginClient({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [pending, setPending] = useState(false);

  const submit = async () => {
    const { data, errors: invalid } = validate(loginForm, { email, password });
    if (!data) return setErrors(invalid);
    setErrors(noErrors);
    setPending(true);
    try {
      const result = await signIn("credentials", { email: data.email, password: data.password, redirect: false });
      if (!result || result.error) {
        setErrors({ fields: {}, form: signInErrors[result?.error ?? ""] ?? "Could not sign in. Please try again." });
        return;
      }
      router.replace(callbackUrl);
      router.refresh();
    } catch {
      setErrors({ fields: {}, form: "Could not reach the server. Check your connection and try again." });
    } finally {
      setPending(false);
    }
  };

  return (
    <form
      noValidate
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h1 className="text-lg font-semibold">Sign in</h1>
      <FormError message={errors.form} />
      <TextField
        label="Email"
        type="email"
        autoComplete="username"
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        error={errors.fields.email}
        required
      />
      <TextField
        label="Password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        error={errors.fields.password}
        required
      />
      <Button type="submit" variant="primary" className="w-full" pending={pending}>
        Sign in
      </Button>
    </form>
  );
}
