import { ApiClientError } from "@/lib/client/queries/api-client";
import { serverErrors, type FormErrors } from "@/lib/client/forms/field-errors";

/**
 * Like `serverErrors`, but a 422 issue deep inside one of `nestedFields` (e.g.
 * `body.rules.0.conditions.2.value`) goes to that exact control rather than above the form.
 */
export function nestedServerErrors(nestedFields: readonly string[]) {
  return (error: unknown, knownFields: readonly string[]): FormErrors => {
    const deep =
      error instanceof ApiClientError
        ? error.fieldIssues
            .map(({ field }) => field.replace(/^body\./, ""))
            .filter((field) => nestedFields.some((root) => field.startsWith(`${root}.`)))
        : [];
    return serverErrors(error, [...knownFields, ...deep]);
  };
}
