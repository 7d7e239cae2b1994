import "server-only";

// An unreachable or overloaded database, however it was reached: Prisma's codes (connection, pool
// and transaction timeouts), the socket's, and PostgreSQL's (connection exceptions, shutting down,
// too many connections) as the raw session reports them. Such a failure says nothing about the
// request that met it: callers answer 503 or try again later.
const UNAVAILABLE_CODES = new Set([
  "P1001",
  "P1002",
  "P1008",
  "P1017",
  "P2024",
  "P2028",
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "57P01",
  "57P02",
  "57P03",
  "53300",
]);

/** The error's code, or PostgreSQL's code that Prisma's driver adapters keep in `meta.code`. */
function errorCodes(error: unknown): string[] {
  const value = error as { code?: unknown; meta?: { code?: unknown } } | null;
  return [value?.code, value?.meta?.code].filter((code): code is string => typeof code === "string");
}

export function isDatabaseUnavailable(error: unknown): boolean {
  if (errorCodes(error).some((code) => UNAVAILABLE_CODES.has(code) || code.startsWith("08"))) return true;
  // pg's pool gives up waiting for a connection with a plain Error.
  return /timeout exceeded when trying to connect|Connection terminated/i.test(
    String((error as Error)?.message),
  );
}

/** A deadlock or serialization failure: the transaction may succeed when tried again. */
export function isRetryableConflict(error: unknown): boolean {
  return (
    errorCodes(error).some((code) => code === "40P01" || code === "40001") ||
    /deadlock detected|could not serialize/i.test(String((error as Error)?.message))
  );
}
