import type { z } from "zod";
import { ApiClientError } from "@/lib/client/queries/api-client";

// Form errors from two sources, in one shape: the shared zod schemas (checked before sending) and
// the server's answer (422 `details[]` naming `body.<field>`, 409 naming the duplicated field).

export type FieldErrors = Partial<Record<string, string>>;

export interface FormErrors {
  fields: FieldErrors;
  /** An error that belongs to no single field. */
  form?: string;
}

export const noErrors: FormErrors = { fields: {} };

/** Validates `values` with a shared schema; the first issue per field wins. */
export function validate<S extends z.ZodType>(schema: S, values: unknown): { data: z.infer<S>; errors: null } | { data: null; errors: FormErrors } {
  const result = schema.safeParse(values);
  if (result.success) return { data: result.data, errors: null };
  const fields: FieldErrors = {};
  let form: string | undefined;
  for (const issue of result.error.issues) {
    const field = issue.path.map(String).join(".");
    if (!field) form ??= issue.message;
    else fields[field] ??= issue.message;
  }
  return { data: null, errors: { fields, form } };
}

/** Maps a failed request onto the form: field errors where the server named a field we show. */
export function serverErrors(error: unknown, knownFields: readonly string[]): FormErrors {
  if (!(error instanceof ApiClientError)) {
    return { fields: {}, form: error instanceof Error ? error.message : "Something went wrong." };
  }
  const fields: FieldErrors = {};
  const unplaced: string[] = [];
  for (const { field, issue } of error.fieldIssues) {
    const name = field.replace(/^body\./, "");
    if (knownFields.includes(name)) fields[name] ??= issue;
    else unplaced.push(`${name}: ${issue}`);
  }
  if (error.status === 409) {
    const conflictFields = (error.details as { fields?: unknown } | undefined)?.fields;
    const named = Array.isArray(conflictFields) ? conflictFields.map(String) : [];
    const target = knownFields.find((field) => named.includes(field) || new RegExp(`\\b${field}\\b`, "i").test(error.message));
    if (target) {
      fields[target] ??= error.message;
      return { fields };
    }
  }
  const placedAny = Object.keys(fields).length > 0;
  return { fields, form: placedAny && !unplaced.length ? undefined : unplaced.length ? unplaced.join("; ") : error.message };
}
