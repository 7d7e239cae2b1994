// npm run bench:webhook [-- --postgres | --both] [--duration S] [--concurrency 1,4,16,64] [--cpu-prof [DIR]]
// Load test of the GitLab webhook receiver on the production build: starts `next start` on a free
// port with a throw-away data directory (embedded database, or a temporary PostgreSQL server with
// --postgres), seeds a project whose integration tags 20 features from 20 linked issues, then posts
// valid issue deliveries (each with its own Idempotency-Key and a later updated_at, alternating
// close and reopen, so every one is applied and re-tags a feature) with autocannon at rising
// concurrency. Deliveries are accepted with one statement per group arriving together (the
// integration row comes from memory) and applied by the drainer in batches (in the same server,
// so its work counts); after each run the script waits until the deliveries panel reports nothing
// pending and prints how long that took, and the server's CPU time per delivery over the run and
// the wait (read from /proc: steadier than throughput on a shared machine). Then, beside each run:
// GET /api/health on the same server, the ceiling (Next.js routing plus one SELECT 1). Needs a
// prior `npm run build`. Prints figures; asserts nothing about speed. --both runs the embedded
// database and then PostgreSQL, one after the other, each in its own process. --cpu-prof runs the
// server under `node --cpu-prof` and prints the functions with the most self time while deliveries
// were posted and applied (health runs excluded).
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { cpuProfileDir, monotonicMicros, printServerProfile } from "./lib/cpu-profile";
import { freePort, serverCpuMs, startProductionServer } from "./lib/production-server";
import autocannon, { type Result } from "autocannon";

const args = process.argv.slice(2);
const flag = (name: string) => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
};
const usePostgres = args.includes("--postgres");
const DURATION = Math.max(1, Number(flag("--duration") ?? 5));
const LEVELS = (flag("--concurrency") ?? "1,4,16,64")
  .split(",")
  .map(Number)
  .filter((n) => n > 0);
const cpuProfDir = cpuProfileDir(args, "bench-webhook");
/** When deliveries were posted and applied (not the health runs): the part of the profile printed. */
const profileWindows: Array<[number, number]> = [];
const ITEMS = 20;
const SECRET = "bench-webhook-secret";
const root = path.resolve(import.meta.dirname, "..");

const dataDir = args.includes("--both")
  ? ""
  : fs.mkdtempSync(path.join(os.tmpdir(), "flagpost-bench-webhook-"));
const serverEnv: Record<string, string> = {
  FLAGPOST_DATA_DIR: dataDir,
  FLAGPOST_SECRET_KEY: "bench-webhook-secret-key-of-at-least-32-characters",
  FLAGPOST_LOG_LEVEL: "error",
  NEXT_TELEMETRY_DISABLED: "1",
};

/** Writes the project, integration, features and links straight into the database the server will open. */
async function seed(): Promise<{
  projectId: number;
  gitlabProjectId: number;
  integrationId: number;
  apiKey: string;
}> {
  Object.assign(process.env, serverEnv);
  const { closeDatabase, ensureDatabase, prisma } = await import("@/lib/db/client");
  const { encryptSecret } = await import("@/lib/crypto/secret-box");
  const { createApiKey } = await import("@/lib/auth/api-keys");
  const { ensureGitLabSystemTags } = await import("@/lib/gitlab/links/system-tags");
  await ensureDatabase();
  try {
    const gitlabProjectId = 4242;
    const organisation = await prisma.organisation.create({ data: { name: "Bench" } });
    const project = await prisma.project.create({
      data: { name: "Webhook bench", organisationId: organisation.id },
    });
    const integration = await prisma.gitLabIntegration.create({
      data: {
        projectId: project.id,
        liveProjectId: project.id,
        instanceUrl: "https://gitlab.example.com",
        encryptedToken: encryptSecret("glpat-bench"),
        encryptedWebhookSecret: encryptSecret(SECRET),
        gitlabProjectId,
        gitlabProjectPath: "acme/web",
        taggingEnabled: true,
        tokenUserId: 1,
        tokenUsername: "flagpost_bot",
      },
    });
    await ensureGitLabSystemTags(prisma, project.id);
    for (let iid = 1; iid <= ITEMS; iid++) {
      const feature = await prisma.feature.create({
        data: { projectId: project.id, name: `bench_feature_${iid}` },
      });
      await prisma.externalResource.create({
        data: {
          featureId: feature.id,
          type: "GITLAB_ISSUE",
          iid,
          gitlabProjectId,
          gitlabProjectPath: "acme/web",
          url: `https://gitlab.example.com/acme/web/-/issues/${iid}`,
          title: `Issue ${iid}`,
        },
      });
    }
    const { key } = await createApiKey(organisation.id, "bench");
    return { projectId: project.id, gitlabProjectId, integrationId: integration.id, apiKey: key };
  } finally {
    await closeDatabase();
  }
}

/** A real 2026 gitlab.com issue-event body, pointed at our project; `%…%` marks the fields each request changes. */
function deliveryTemplate(gitlabProjectId: number): string {
  const body = JSON.parse(
    fs.readFileSync(path.join(root, "tests/fixtures/gitlab-webhooks/work_item_task_close.json"), "utf8"),
  );
  body.project.id = gitlabProjectId;
  body.project.path_with_namespace = "acme/web";
  Object.assign(body.object_attributes, {
    project_id: gitlabProjectId,
    iid: "%IID%",
    state: "%STATE%",
    action: "%ACTION%",
    updated_at: "%UPDATED%",
  });
  return JSON.stringify(body).replace('"%IID%"', "%IID%");
}

function deliveryRequests(template: string, projectId: number) {
  let sequence = 0;
  const start = Date.now();
  return [
    {
      method: "POST",
      path: `/api/v1/gitlab-webhook/${projectId}/`,
      setupRequest: (request: { headers?: Record<string, string>; body?: string | Buffer }) => {
        sequence += 1;
        const iid = (sequence % ITEMS) + 1;
        const closing = Math.floor(sequence / ITEMS) % 2 === 0;
        request.body = template
          .replace("%IID%", String(iid))
          .replace("%STATE%", closing ? "closed" : "opened")
          .replace("%ACTION%", closing ? "close" : "reopen")
          .replace("%UPDATED%", new Date(start + sequence).toISOString());
        request.headers = {
          "content-type": "application/json",
          "x-gitlab-event": "Issue Hook",
          "x-gitlab-token": SECRET,
          "idempotency-key": randomUUID(),
          "user-agent": "GitLab/18.6.0",
        };
        return request;
      },
    },
  ];
}

interface Row {
  label: string;
  concurrency: number;
  result: Result;
  /** Server CPU time over the run (for deliveries: until they were all applied); null without /proc. */
  cpuMs: number | null;
}

const cpuUsed = (before: number | null, after: number | null) =>
  before === null || after === null ? null : after - before;

/** Server CPU milliseconds per answered request. */
const cpuPerRequest = (row: Row) =>
  row.cpuMs === null || row.result.requests.total === 0
    ? "n/a"
    : (row.cpuMs / row.result.requests.total).toFixed(2);

const rate = (result: Result) => result.requests.total / result.duration;

/** Waits until no accepted delivery is pending (the deliveries panel's count); the milliseconds waited. */
async function waitForDrain(base: string, projectId: number, integrationId: number, apiKey: string) {
  const started = performance.now();
  for (;;) {
    const res = await fetch(
      `${base}/api/v1/projects/${projectId}/integrations/gitlab/${integrationId}/deliveries/`,
      { headers: { authorization: `Api-Key ${apiKey}` } },
    );
    if (!res.ok) throw new Error(`deliveries panel: HTTP ${res.status}`);
    const { pending } = (await res.json()) as { pending: number };
    if (pending === 0) return performance.now() - started;
    // Not more often: each look at the panel costs the server a few queries, counted in "cpu ms".
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function run(
  url: string,
  concurrency: number,
  options: Partial<Parameters<typeof autocannon>[0]>,
  duration = DURATION,
): Promise<Result> {
  return autocannon({ url, connections: concurrency, duration, timeout: 30, ...options });
}

/** --both: this script again, once per database, one after the other (each needs a fresh process). */
async function runBoth(): Promise<void> {
  const rest = args.filter((arg) => arg !== "--both" && arg !== "--postgres");
  let failed = 0;
  for (const extra of [[], ["--postgres"]]) {
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...rest, ...extra], {
      stdio: "inherit",
    });
    const code = await new Promise<number>((resolve) => child.once("exit", (exit) => resolve(exit ?? 1)));
    failed ||= code;
  }
  process.exitCode = failed;
}

async function main() {
  if (args.includes("--both")) return runBoth();
  if (!fs.existsSync(path.join(root, ".next/BUILD_ID"))) {
    console.error("No production build found (.next/BUILD_ID): run `npm run build` first.");
    process.exit(1);
  }
  let stopPostgres: (() => void) | null = null;
  if (usePostgres) {
    const { startTempPostgres } = await import("./lib/temp-postgres.mjs");
    const postgres = await startTempPostgres();
    stopPostgres = postgres.stop;
    serverEnv.DATABASE_URL = postgres.url;
  }
  let server: ChildProcess | null = null;
  try {
    const { projectId, gitlabProjectId, integrationId, apiKey } = await seed();
    const port = await freePort();
    server = await startProductionServer(
      port,
      serverEnv,
      cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${cpuProfDir}`] : [],
    );
    const base = `http://127.0.0.1:${port}`;
    const template = deliveryTemplate(gitlabProjectId);
    const webhook = () => ({ requests: deliveryRequests(template, projectId) });

    // Warm-up: JIT, route compilation caches, connection pools.
    await run(base, 4, webhook(), 2);
    await run(`${base}/api/health`, 4, {}, 2);

    const rows: Row[] = [];
    const drained = new Map<number, number>();
    await waitForDrain(base, projectId, integrationId, apiKey);
    const cpu = () => serverCpuMs(server!);
    for (const concurrency of LEVELS) {
      const start = monotonicMicros();
      let cpuBefore = cpu();
      const hook = await run(base, concurrency, webhook());
      // The health run starts once the drainer has applied the backlog, so it does not slow the ceiling.
      drained.set(concurrency, await waitForDrain(base, projectId, integrationId, apiKey));
      rows.push({ label: "webhook", concurrency, result: hook, cpuMs: cpuUsed(cpuBefore, cpu()) });
      profileWindows.push([start, monotonicMicros()]);
      cpuBefore = cpu();
      const health = await run(`${base}/api/health`, concurrency, {});
      rows.push({ label: "health", concurrency, result: health, cpuMs: cpuUsed(cpuBefore, cpu()) });
    }

    const check = await fetch(`${base}/api/v1/gitlab-webhook/${projectId}/`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-gitlab-event": "Issue Hook",
        "x-gitlab-token": SECRET,
        "idempotency-key": randomUUID(),
      },
      body: template
        .replace("%IID%", "1")
        .replace("%STATE%", "closed")
        .replace("%ACTION%", "close")
        .replace("%UPDATED%", new Date(Date.now() + 86_400_000).toISOString()),
    });
    const answer = (await check.json()) as { status: string };

    const database = usePostgres ? "PostgreSQL (temporary server)" : "embedded database (PGlite)";
    console.log(
      `\nbench:webhook — production build, ${database}, ${os.cpus().length} CPUs, ${DURATION} s per run, autocannon on the same machine`,
    );
    console.log(
      `  webhook: POST /api/v1/gitlab-webhook/${projectId}/ (${Buffer.byteLength(template)} B body, unique Idempotency-Key; each flips an issue and re-tags its feature)`,
    );
    console.log(
      "  ceiling: GET /api/health (same server: routing + one SELECT 1), run once the backlog is applied",
    );
    console.log("  applied +s: seconds after the webhook run until every accepted delivery was applied");
    console.log(
      "  cpu ms: server CPU per request (user + system, all server processes; for deliveries including applying them)\n",
    );
    const pad = (text: string | number, width: number) => String(text).padStart(width);
    console.log(
      `${pad("conc.", 6)} | ${pad("webhook req/s", 13)} ${pad("p50 ms", 7)} ${pad("p99 ms", 7)} ${pad("non-2xx", 8)} ${pad("applied +s", 10)} ${pad("cpu ms", 6)} | ${pad("ceiling req/s", 13)} ${pad("p50 ms", 7)} ${pad("p99 ms", 7)} ${pad("cpu ms", 6)} | ${pad("share", 6)}`,
    );
    for (const concurrency of LEVELS) {
      const hookRow = rows.find((row) => row.label === "webhook" && row.concurrency === concurrency)!;
      const ceilingRow = rows.find((row) => row.label === "health" && row.concurrency === concurrency)!;
      const [hook, ceiling] = [hookRow.result, ceilingRow.result];
      console.log(
        `${pad(concurrency, 6)} | ${pad(rate(hook).toFixed(0), 13)} ${pad(hook.latency.p50, 7)} ${pad(hook.latency.p99, 7)} ${pad(hook.non2xx + hook.errors, 8)} ${pad((drained.get(concurrency)! / 1000).toFixed(1), 10)} ${pad(cpuPerRequest(hookRow), 6)} | ` +
          `${pad(rate(ceiling).toFixed(0), 13)} ${pad(ceiling.latency.p50, 7)} ${pad(ceiling.latency.p99, 7)} ${pad(cpuPerRequest(ceilingRow), 6)} | ${pad(rate(ceiling) > 0 ? `${((rate(hook) / rate(ceiling)) * 100).toFixed(0)}%` : "n/a", 6)}`,
      );
    }
    console.log(`\n  check delivery after the runs: HTTP ${check.status} ${answer.status}`);
    const failures = rows
      .filter((row) => row.label === "webhook")
      .reduce((sum, row) => sum + row.result.non2xx + row.result.errors, 0);
    if (failures > 0 || answer.status !== "accepted") process.exitCode = 1;
  } finally {
    if (server?.pid && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once("exit", resolve));
      try {
        process.kill(-server.pid, "SIGTERM");
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      } catch {
        // Already gone.
      }
    }
    stopPostgres?.();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  if (cpuProfDir) printServerProfile(cpuProfDir, profileWindows, "deliveries were posted and applied");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
