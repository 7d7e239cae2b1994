import { ApiClientError } from "@/lib/client/queries/api-client";

// The server's answer in form terms (422 `details[]` naming `body.<field>`, 409 naming the duplicated
// field); the shared zod schemas are checked before sending by the form's resolver (use-schema-form.ts).

type FieldErrors = Partial<Record<string, string>>;

export interface FormErrors {
  fields: FieldErrors;
  /** An error that belongs to no single field. */
  form?: string;
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
    const target = knownFields.find(
      (field) => named.includes(field) || new RegExp(`\\b${field}\\b`, "i").test(error.message),
    );
    if (target) {
      fields[target] ??= error.message;
      return { fields };
    }
  }
  const placedAny = Object.keys(fields).length > 0;
  return {
    fields,
    form: placedAny && !unplaced.length ? undefined : unplaced.length ? unplaced.join("; ") : error.message,
  };
}
