import "server-only";
import { ZodError } from "zod";
import { logger } from "@/lib/logger";

// One error type for everything an API caller can be told, with a closed code → status table and
// one envelope: { "error": { "code", "message", "details"? } }. Anything else becomes a generic 500.

const errorStatus = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable_entity: 422,
  rate_limited: 429,
  internal_error: 500,
  bad_gateway: 502,
  service_unavailable: 503,
} as const;

export type ApiErrorCode = keyof typeof errorStatus;

export class ApiError extends Error {
  constructor(
    public readonly code: ApiErrorCode,
    message: string,
    public readonly details?: unknown,
    public readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "ApiError";
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export const notFound = (what: string) => new ApiError("not_found", `${what} not found`);
export const forbidden = (message = "You do not have permission to do this") =>
  new ApiError("forbidden", message);

export interface FieldIssue {
  field: string;
  issue: string;
}

export function zodIssues(error: ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({ field: issue.path.join(".") || "(root)", issue: issue.message }));
}

interface PrismaLikeError {
  code?: string;
  meta?: {
    target?: string[] | string;
    modelName?: string;
    driverAdapterError?: { cause?: { constraint?: { fields?: string[]; index?: string }; table?: string } };
  };
}

function isPrismaKnownError(error: unknown): error is Error & PrismaLikeError {
  return error instanceof Error && error.name === "PrismaClientKnownRequestError";
}

/**
 * The columns of a unique index named the Prisma way, "<table>_<columns joined by _>_key". The names
 * are joined ambiguously; foreign-key columns end in "_id", which is enough to tell every unique
 * index of our schema apart (e.g. "tags_project_id_label_type_key" → project_id, label, type).
 */
export function columnsOfUniqueIndex(index: string, table: string): string[] {
  if (!index.startsWith(`${table}_`) || !index.endsWith("_key")) return [];
  const words = index.slice(table.length + 1, -"_key".length).split("_");
  const columns: string[] = [];
  for (const word of words) {
    if (word === "id" && columns.length > 0) columns[columns.length - 1] += "_id";
    else columns.push(word);
  }
  return columns;
}

/** The columns of a unique constraint that a P2002 error names, whatever the driver adapter. */
export function uniqueViolationFields(error: unknown): string[] | null {
  if (!isPrismaKnownError(error) || error.code !== "P2002") return null;
  const target = error.meta?.target;
  if (Array.isArray(target)) return target;
  if (typeof target === "string") return [target];
  const cause = error.meta?.driverAdapterError?.cause;
  // PGlite's adapter reports the columns; node-postgres's reports the index name instead.
  if (cause?.constraint?.fields) return cause.constraint.fields.map((field) => field.replace(/"/g, ""));
  if (cause?.constraint?.index && cause.table)
    return columnsOfUniqueIndex(cause.constraint.index, cause.table);
  return [];
}

/** "Name “Production” is already in use": the field and, when the request sent it, the value. */
function duplicateMessage(fields: string[], label: string, body: unknown): string {
  const values =
    body && typeof body === "object"
      ? fields.flatMap((field) => {
          const value = (body as Record<string, unknown>)[field];
          return typeof value === "string" || typeof value === "number" ? [{ field, value }] : [];
        })
      : [];
  if (values.length === 0) return `Another record already uses this ${label}`;
  const named = values.map(({ field, value }) => `${field.replace(/_/g, " ")} “${value}”`).join(" and ");
  return `${named.charAt(0).toUpperCase()}${named.slice(1)} ${values.length > 1 ? "are" : "is"} already in use`;
}

/** The API error for anything thrown in a route; `body` (the parsed request body) names a duplicate's value. */
export function toApiError(error: unknown, body?: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof ZodError) {
    const issues = zodIssues(error);
    return new ApiError(
      "unprocessable_entity",
      `Invalid input: ${issues.map((issue) => `${issue.field}: ${issue.issue}`).join("; ")}`,
      issues,
    );
  }
  const fields = uniqueViolationFields(error);
  if (fields) {
    const named = fields.filter((field) => !field.endsWith("_id") && field !== "id");
    const label = (named.length ? named : fields).join(", ") || "value";
    const shown = named.length ? named : fields;
    return new ApiError("conflict", duplicateMessage(shown, label, body), { fields });
  }
  if (isPrismaKnownError(error) && error.code === "P2025")
    return new ApiError("not_found", "Record not found");
  logger.error("Unhandled error in request", { error });
  return new ApiError("internal_error", "Something went wrong on our side. The error was logged.");
}

export function errorResponse(error: unknown, requestBody?: unknown): Response {
  const apiError = toApiError(error, requestBody);
  const body: { error: { code: ApiErrorCode; message: string; details?: unknown } } = {
    error: { code: apiError.code, message: apiError.message },
  };
  if (apiError.details !== undefined) body.error.details = apiError.details;
  return Response.json(body, { status: apiError.status, headers: apiError.headers });
}
