// The one way the browser talks to the Flagpost API: JSON in, JSON out, and every non-2xx answer
// turned into an ApiClientError built from the error envelope `{ error: { code, message, details } }`.

export interface ApiFieldIssue {
  field: string;
  issue: string;
}

export class ApiClientError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** 422 answers: `[{ field: "body.name", issue }]`; 409 answers may carry `{ fields: [...] }`. */
    readonly details: unknown = undefined,
  ) {
    super(message);
    this.name = "ApiClientError";
  }

  /** Field issues of a 422 answer (empty for every other error). */
  get fieldIssues(): ApiFieldIssue[] {
    if (!Array.isArray(this.details)) return [];
    return this.details.filter(
      (item): item is ApiFieldIssue =>
        typeof item === "object" &&
        item !== null &&
        typeof item.field === "string" &&
        typeof item.issue === "string",
    );
  }
}

type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];
export type QueryParams = Record<string, QueryValue>;

/** `/api/v1/…` plus a query string; empty values and empty lists are left out. */
function apiUrl(path: string, query?: QueryParams): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) {
      if (value.length) params.set(key, value.join(","));
    } else {
      params.set(key, String(value));
    }
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

interface RequestOptions {
  method?: "GET" | "POST" | "PATCH" | "DELETE";
  query?: QueryParams;
  body?: unknown;
  signal?: AbortSignal;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function apiRequest<T>(
  path: string,
  { method = "GET", query, body, signal }: RequestOptions = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(apiUrl(path, query), {
      method,
      signal,
      credentials: "same-origin",
      cache: "no-store",
      headers:
        body === undefined
          ? { accept: "application/json" }
          : { accept: "application/json", "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiClientError(
      0,
      "network_error",
      "Could not reach the Flagpost server. Check your connection and try again.",
    );
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const data = text ? parseJson(text) : undefined;
  if (!response.ok) {
    const envelope = (
      data as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined
    )?.error;
    throw new ApiClientError(
      response.status,
      typeof envelope?.code === "string" ? envelope.code : "http_error",
      typeof envelope?.message === "string"
        ? envelope.message
        : `The server answered ${response.status} ${response.statusText}`.trim(),
      envelope?.details,
    );
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, query?: QueryParams, signal?: AbortSignal) => apiRequest<T>(path, { query, signal }),
  post: <T>(path: string, body: unknown) => apiRequest<T>(path, { method: "POST", body }),
  patch: <T>(path: string, body: unknown) => apiRequest<T>(path, { method: "PATCH", body }),
  delete: (path: string) => apiRequest<void>(path, { method: "DELETE" }),
};

export function isApiClientError(error: unknown, status?: number): error is ApiClientError {
  return error instanceof ApiClientError && (status === undefined || error.status === status);
}

/** A human sentence for any error a query or mutation can throw. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiClientError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return "Something went wrong.";
}
