import "server-only";
import { env } from "@/lib/env";

// Structured logging: JSON lines in production, readable lines in development. Values under keys
// that name secrets are replaced before anything is written, so a careless call cannot leak them.

type Level = "debug" | "info" | "warn" | "error";
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const sink = globalThis as unknown as { __flagpostLogToStderr?: boolean };
const SECRET_KEY = /(token|secret|password|passwd|authorization|cookie|api[-_]?key|private[-_]?key)/i;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? "[redacted]" : redact(inner, depth + 1);
  }
  return out;
}

function currentLevel(): Level {
  try {
    return env().FLAGPOST_LOG_LEVEL;
  } catch {
    return "info";
  }
}

function write(level: Level, message: string, fields?: Record<string, unknown>) {
  if (order[level] < order[currentLevel()]) return;
  const safe = fields ? (redact(fields) as Record<string, unknown>) : undefined;
  const stream =
    level === "error" || level === "warn" || sink.__flagpostLogToStderr ? process.stderr : process.stdout;
  if (process.env.NODE_ENV === "production") {
    stream.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...safe })}\n`);
  } else {
    const extra = safe && Object.keys(safe).length ? ` ${JSON.stringify(safe)}` : "";
    stream.write(`[${level}] ${message}${extra}\n`);
  }
}

export const logger = {
  debug: (message: string, fields?: Record<string, unknown>) => write("debug", message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write("info", message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write("warn", message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write("error", message, fields),
};

/** Command-line tools keep stdout for their result (e.g. a new API key) and log to stderr. */
export function logToStderr(): void {
  sink.__flagpostLogToStderr = true;
}
