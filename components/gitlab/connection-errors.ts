import { serverErrors, type FormErrors } from "@/lib/client/forms/field-errors";
import { ApiClientError } from "@/lib/client/queries/api-client";

// The GitLab endpoints refuse a connection with `details: { reason, field }` naming the form field
// at fault (instance URL, token, project); put the message under that field.
export function connectionFormErrors(error: unknown, knownFields: readonly string[]): FormErrors {
  if (error instanceof ApiClientError) {
    const field = (error.details as { field?: unknown } | undefined)?.field;
    if (typeof field === "string" && knownFields.includes(field))
      return { fields: { [field]: error.message } };
  }
  return serverErrors(error, knownFields);
}
