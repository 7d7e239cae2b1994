// Flagpost operations CLI: npm run flagpost -- <command> [options]
//   migrate                                   apply pending database migrations
//   create-admin --email <e> --password <p> [--name <n>] [--organisation-name <o>]
//   create-api-key --name <n> [--organisation <id>] [--role read-only|editor|admin] [--expires-in 30d]
//                                             prints the new key alone on stdout (role admin by default)
//   worker                                    run the background job worker without the web server
//                                             (GitLab comments and labels) until SIGTERM/SIGINT
//   evaluate [FILE]                           a Flagsmith evaluation context (JSON, FILE or stdin) →
//                                             the evaluation result JSON on stdout; no database
// Every command but evaluate applies pending migrations first. On the embedded database only one process may
// hold the data directory: while the server runs, commands refuse with one clear line.
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { ApiError } from "@/lib/api/errors";
import { createAdmin } from "@/lib/auth/accounts";
import { createApiKey, parseApiKeyRole, parseDuration } from "@/lib/auth/api-keys";
import { closeDatabase, ensureDatabase, prisma } from "@/lib/db/client";
import { evaluateContext } from "@/lib/engine";
import { EmbeddedDatabaseBusyError } from "@/lib/db/embedded-lock";
import { DatabaseUnreachableError } from "@/lib/db/open-database";
import { EnvError } from "@/lib/env";
import { startJobRunner, stopJobRunner } from "@/lib/jobs/runner";
import { logToStderr } from "@/lib/logger";
import { registerProviders } from "@/lib/server/providers";
import { firstRunSetupBody } from "@/lib/validations/core";
import { parseEvaluationContext } from "@/lib/validations/evaluation-context";

class UsageError extends Error {}

const USAGE = `Usage: npm run flagpost -- <command>
  migrate
  create-admin --email <email> --password <password> [--name <name>] [--organisation-name <name>]
  create-api-key --name <name> [--organisation <id>] [--role read-only|editor|admin] [--expires-in <n>m|h|d|w]
  worker
  evaluate [FILE]          (context JSON from FILE, or stdin when FILE is absent or "-")`;

/** Standalone workers have no requests to kick them: they look for due jobs this often. */
const WORKER_POLL_MS = 1_000;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** "Why does this user get this value?": the engine on a context, without any database. */
async function evaluate(args: string[]): Promise<void> {
  if (args.length > 1) throw new UsageError(`evaluate takes at most one FILE\n${USAGE}`);
  const file = args[0];
  let text: string;
  if (file === undefined || file === "-") {
    text = await readStdin();
  } else {
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
    }
  }
  const parsed = parseEvaluationContext(text);
  if (!parsed.ok) {
    const where = file && file !== "-" ? file : "stdin";
    throw new UsageError(
      `invalid evaluation context (${where}):\n${parsed.issues.map((i) => `  ${i.path}: ${i.message}`).join("\n")}`,
    );
  }
  process.stdout.write(`${JSON.stringify(evaluateContext(parsed.context), null, 2)}\n`);
}

async function run(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === "evaluate") return evaluate(rest);
  const { values } = parseArgs({
    args: rest,
    options: {
      email: { type: "string" },
      password: { type: "string" },
      name: { type: "string" },
      "organisation-name": { type: "string" },
      organisation: { type: "string" },
      role: { type: "string" },
      "expires-in": { type: "string" },
    },
    strict: true,
  });
  // As the server does at boot: the providers' job handlers and audit subscribers.
  registerProviders();
  switch (command) {
    case "migrate": {
      const db = await ensureDatabase();
      process.stderr.write(`Migrations are up to date (${db.description}).\n`);
      return;
    }
    case "create-admin": {
      const input = firstRunSetupBody.safeParse({
        email: values.email,
        password: values.password,
        name: values.name,
        organisation_name: values["organisation-name"],
      });
      if (!input.success)
        throw new UsageError(input.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("\n"));
      await ensureDatabase();
      const { user, organisation } = await createAdmin(
        {
          email: input.data.email,
          password: input.data.password,
          name: input.data.name,
          organisationName: input.data.organisation_name,
        },
        { onlyIfFirst: false },
      );
      process.stderr.write(`Created administrator ${user.email} of organisation "${organisation.name}".\n`);
      return;
    }
    case "create-api-key": {
      if (!values.name?.trim()) throw new UsageError("--name is required");
      const role = parseApiKeyRole(values.role ?? "admin");
      if (!role) throw new UsageError(`--role must be read-only, editor or admin, not "${values.role}"`);
      const lifetime = values["expires-in"] === undefined ? null : parseDuration(values["expires-in"]);
      if (lifetime === null && values["expires-in"] !== undefined) {
        throw new UsageError(
          `--expires-in must be a number and a unit (m, h, d or w), e.g. 30d or 12h, not "${values["expires-in"]}"`,
        );
      }
      await ensureDatabase();
      const organisations = await prisma.organisation.findMany({ orderBy: { id: "asc" } });
      if (organisations.length === 0) throw new UsageError("No organisation yet: run create-admin first.");
      let organisationId = organisations[0]!.id;
      if (values.organisation) {
        organisationId = Number(values.organisation);
        if (!organisations.some((org) => org.id === organisationId))
          throw new UsageError(`No organisation with id ${values.organisation}`);
      } else if (organisations.length > 1) {
        throw new UsageError(
          `Several organisations exist; pass --organisation <id> (${organisations.map((o) => `${o.id}: ${o.name}`).join(", ")})`,
        );
      }
      const expiresAt = lifetime === null ? null : new Date(Date.now() + lifetime);
      const { key } = await createApiKey(organisationId, values.name.trim(), prisma, { role, expiresAt });
      process.stderr.write(
        `Created ${role.toLowerCase().replace("_", "-")} API key "${values.name.trim()}"${expiresAt ? `, expiring ${expiresAt.toISOString()}` : ""}.\n`,
      );
      process.stdout.write(`${key}\n`);
      return;
    }
    case "worker": {
      const db = await ensureDatabase();
      startJobRunner({ standalone: true, sweepMs: WORKER_POLL_MS });
      process.stderr.write(`Job worker running (${db.description}); stop it with SIGTERM or Ctrl-C.\n`);
      const signal = await new Promise<string>((resolve) => {
        // Once: a second signal ends the process at once (leases expire and the jobs run again).
        process.once("SIGTERM", () => resolve("SIGTERM"));
        process.once("SIGINT", () => resolve("SIGINT"));
      });
      process.stderr.write(`${signal}: finishing the jobs in hand, then stopping.\n`);
      await stopJobRunner();
      return;
    }
    default:
      throw new UsageError(command ? `Unknown command "${command}"\n${USAGE}` : USAGE);
  }
}

logToStderr();
run(process.argv.slice(2))
  .then(async () => {
    await closeDatabase();
  })
  .catch(async (error: unknown) => {
    await closeDatabase().catch(() => undefined);
    const known =
      error instanceof UsageError ||
      error instanceof ApiError ||
      error instanceof EnvError ||
      error instanceof EmbeddedDatabaseBusyError ||
      error instanceof DatabaseUnreachableError ||
      (error instanceof Error &&
        error.name === "TypeError" &&
        "code" in error &&
        String(error.code).startsWith("ERR_PARSE_ARGS"));
    process.stderr.write(
      `flagpost: ${known ? (error as Error).message : `unexpected error: ${String(error instanceof Error ? error.stack : error)}`}\n`,
    );
    process.exit(error instanceof UsageError ? 2 : 1);
  });
