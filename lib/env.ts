import "server-only";
import net from "node:net";
import path from "node:path";
import { z } from "zod";

// Every operator setting Flagpost reads, validated once. Code reads configuration through `env()`,
// never through scattered `process.env` lookups.

const booleanFlag = z
  .enum(["true", "false", "1", "0", "yes", "no", ""])
  .optional()
  .transform((value) => value === "true" || value === "1" || value === "yes");

const positiveInt = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === "") return fallback;
      const parsed = Number(value);
      if (!Number.isInteger(parsed) || parsed < 0) {
        ctx.addIssue({ code: "custom", message: `must be a whole number, got "${value}"` });
        return z.NEVER;
      }
      return parsed;
    });

export interface TrustedProxy {
  address: string;
  /** CIDR prefix length; the full length for a single address. */
  prefix: number;
  family: "ipv4" | "ipv6";
}

/** `10.0.0.1, 10.1.0.0/16, fd00::/8` → entries for a node:net BlockList; bad entries are named. */
const trustedProxies = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const entries: TrustedProxy[] = [];
    for (const item of (value ?? "").split(",").map((part) => part.trim())) {
      if (!item) continue;
      const [address = "", prefixText, extra] = item.split("/");
      const version = net.isIP(address);
      const maxPrefix = version === 4 ? 32 : 128;
      const prefix = prefixText === undefined ? maxPrefix : Number(prefixText);
      if (
        !version ||
        extra !== undefined ||
        (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) ||
        prefix > maxPrefix
      ) {
        ctx.addIssue({
          code: "custom",
          message: `"${item}" is not an IP address or CIDR range (e.g. 10.0.0.5, 10.0.0.0/8, fd00::/8)`,
        });
        continue;
      }
      entries.push({ address, prefix, family: version === 4 ? "ipv4" : "ipv6" });
    }
    return entries;
  });

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .optional()
    .transform((value) => (value === "" ? undefined : value))
    .refine((value) => value === undefined || /^postgres(ql)?:\/\//.test(value), {
      message: "must start with postgres:// or postgresql:// (leave it unset for the embedded database)",
    }),
  FLAGPOST_DATA_DIR: z.string().default(".data"),
  PORT: positiveInt(3000),
  FLAGPOST_PUBLIC_URL: z
    .string()
    .optional()
    .refine((value) => value === undefined || value === "" || /^https?:\/\/[^/]+/.test(value), {
      message: "must be an absolute http(s) URL such as https://flagpost.example.com",
    }),
  FLAGPOST_SECRET_KEY: z
    .string()
    .optional()
    // Counted without surrounding spaces, but used as given: trimming would change existing keys.
    .refine((value) => value === undefined || value === "" || value.trim().length >= 32, {
      message: "must be at least 32 characters (generate one with `openssl rand -base64 32`)",
    }),
  GITLAB_ALLOW_PRIVATE_NETWORK: booleanFlag,
  FLAGPOST_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  // Run the background job worker inside the web server (default). Turn off when an external
  // scheduler calls POST /api/internal/jobs/run instead.
  FLAGPOST_WORKER: z
    .enum(["true", "false", "1", "0", ""])
    .optional()
    .transform((value) => value !== "false" && value !== "0"),
  FLAGPOST_JOB_DEBOUNCE_MS: positiveInt(2000),
  // How long a worker owns a claimed job; a crashed worker's jobs run again after it. Must exceed
  // the longest job (GitLab calls have a 10 s budget each).
  FLAGPOST_JOB_LEASE_MS: positiveInt(120_000),
  FLAGPOST_INTERNAL_SECRET: z.string().optional(),
  // SDK endpoints (Flagsmith API, OFREP): requests per second allowed per key, bursts up to twice
  // that; beyond it 429 with Retry-After. 0 turns the limit off.
  FLAGPOST_SDK_RATE_LIMIT: positiveInt(1000),
  // Reverse proxies whose X-Forwarded-For is believed (sign-in throttling by client address);
  // requests from anywhere else are counted by the address of the connection itself.
  FLAGPOST_TRUSTED_PROXIES: trustedProxies,
  // Lets end-to-end tests move the server's clock forward; never set it in production.
  FLAGPOST_TEST_CLOCK: booleanFlag,
});

export type Env = Omit<z.infer<typeof envSchema>, "FLAGPOST_PUBLIC_URL"> & {
  FLAGPOST_PUBLIC_URL: string;
  /** Absolute path of the data directory (embedded database, generated secrets). */
  dataDir: string;
};

export class EnvError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((line) => `  - ${line}`).join("\n")}`);
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => `${issue.path.join(".") || "environment"}: ${issue.message}`),
    );
  }
  const parsed = result.data;
  const publicUrl = (parsed.FLAGPOST_PUBLIC_URL || `http://localhost:${parsed.PORT}`).replace(/\/+$/, "");
  return {
    ...parsed,
    FLAGPOST_PUBLIC_URL: publicUrl,
    dataDir: path.resolve(parsed.FLAGPOST_DATA_DIR),
  };
}

const cache = globalThis as unknown as { __flagpostEnv?: Env };

/** The validated configuration; throws EnvError with one line per bad value. */
export function env(): Env {
  cache.__flagpostEnv ??= parseEnv(process.env);
  return cache.__flagpostEnv;
}

/** Forget the cached configuration (tests change process.env between cases). */
export function resetEnvForTests(): void {
  cache.__flagpostEnv = undefined;
}
