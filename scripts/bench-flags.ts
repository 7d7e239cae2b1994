// npm run bench:flags [-- --postgres] [--duration S] [--concurrency 50] [--only flags,identities,ofrep]
//                     [--cpu-prof [DIR]]
// Load test of the SDK endpoints on the production build: starts `next start` on a free port with a
// throw-away data directory (embedded database, or a temporary PostgreSQL server with --postgres),
// seeds one environment with 500 features and 100 segments (each overriding 5 features), then
// runs with autocannon, each beside GET /api/health on the same server in the same run:
//   - GET /api/v1/flags/ (Flagsmith SDK, client-side key);
//   - POST /api/v1/identities/ (1,000 rotating identities, 20 traits, 3 segments matching);
//   - POST /ofrep/v1/evaluate/flags (bulk OFREP, a targetingKey and 20 context attributes).
// Prints req/s, p50/p99 as the client sees them, the handler's own p50/p99 (the Server-Timing
// header of each answer) and the share of the health route's throughput. Asserts nothing about
// speed (goals: flags and OFREP ≥ 80 % of health, identities ≥ 50 %, p99 < 20 ms).
// --cpu-prof runs the server under `node --cpu-prof` (profiles kept in DIR, a temporary directory by
// default) and prints the functions with the most self time while the endpoints were measured (the
// health runs, warm-up and start-up left out); --only limits the run to some endpoints, to profile
// one at a time.
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { cpuProfileDir, monotonicMicros, printServerProfile } from "./lib/cpu-profile";
import { freePort, startProductionServer } from "./lib/production-server";
import autocannon, { type AutocannonRequest, type Result } from "autocannon";

const args = process.argv.slice(2);
const flag = (name: string) => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
};
const usePostgres = args.includes("--postgres");
const DURATION = Math.max(1, Number(flag("--duration") ?? 5));
const CONCURRENCY = Math.max(1, Number(flag("--concurrency") ?? 50));
const cpuProfDir = cpuProfileDir(args, "bench-flags");
const ENDPOINTS = ["flags", "identities", "ofrep"] as const;
const only = new Set((flag("--only") ?? ENDPOINTS.join(",")).split(","));
/** When the endpoints (not the health runs) were measured: the part of the profile printed. */
const profileWindows: Array<[number, number]> = [];
const FEATURES = 500;
const SEGMENTS = 100;
const IDENTITIES = 1_000;
const ENV_KEY = "benchFlagsEnvironmentKey";
const root = path.resolve(import.meta.dirname, "..");

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "flagpost-bench-flags-"));
const serverEnv: Record<string, string> = {
  FLAGPOST_DATA_DIR: dataDir,
  FLAGPOST_SECRET_KEY: "bench-flags-secret-key-of-at-least-32-characters",
  FLAGPOST_LOG_LEVEL: "error",
  FLAGPOST_SDK_RATE_LIMIT: "0",
  NEXT_TELEMETRY_DISABLED: "1",
};

/** Segment i matches when trait `t<i % 20>` equals `v<i>`; segments 0–2 match every bench identity. */
function segmentRules(index: number) {
  if (index === 0)
    return [{ type: "ALL", conditions: [{ property: "plan", operator: "EQUAL", value: "pro" }] }];
  if (index === 1)
    return [
      { type: "ALL", conditions: [{ property: "country", operator: "IN", value: ["fr", "de", "it"] }] },
    ];
  if (index === 2)
    return [{ type: "ANY", conditions: [{ property: "age", operator: "GREATER_THAN", value: "18" }] }];
  return [
    {
      type: "ALL",
      rules: [
        { type: "ANY", conditions: [{ property: `t${index % 20}`, operator: "EQUAL", value: `v${index}` }] },
      ],
    },
  ];
}

async function seed() {
  Object.assign(process.env, serverEnv);
  const { closeDatabase, ensureDatabase, prisma } = await import("@/lib/db/client");
  await ensureDatabase();
  try {
    const organisation = await prisma.organisation.create({ data: { name: "Bench" } });
    const project = await prisma.project.create({
      data: { name: "Flags bench", organisationId: organisation.id },
    });
    const environment = await prisma.environment.create({
      data: { name: "Production", projectId: project.id, apiKey: ENV_KEY },
    });
    const features = await prisma.feature.createManyAndReturn({
      data: Array.from({ length: FEATURES }, (_, index) => ({
        projectId: project.id,
        name: `feature_${index}`,
        initialValue: index % 3 === 0 ? `value ${index}` : null,
      })),
      select: { id: true },
    });
    await prisma.featureState.createMany({
      data: features.map((feature, index) => ({
        featureId: feature.id,
        environmentId: environment.id,
        enabled: index % 2 === 0,
        value: index % 3 === 0 ? `value ${index}` : null,
      })),
    });
    for (let index = 0; index < SEGMENTS; index++) {
      const segment = await prisma.segment.create({
        data: { projectId: project.id, name: `segment_${index}`, rules: segmentRules(index) },
      });
      await prisma.segmentOverride.createMany({
        data: Array.from({ length: 5 }, (_, offset) => ({
          featureId: features[(index * 5 + offset) % FEATURES]!.id,
          environmentId: environment.id,
          segmentId: segment.id,
          enabled: true,
          value: `segment ${index}`,
        })),
      });
    }
  } finally {
    await closeDatabase();
  }
}

/** 20 traits, three of which put the identity in segments 0, 1 and 2. */
function traitsOf(identity: number) {
  const traits: Record<string, string | number> = { plan: "pro", country: "fr", age: 30 + (identity % 40) };
  for (let index = 0; Object.keys(traits).length < 20; index++) traits[`t${index}`] = `x${identity}`;
  return traits;
}

const identityRequests = () => {
  let sequence = 0;
  return [
    {
      method: "POST" as const,
      path: "/api/v1/identities/",
      setupRequest: (request: { headers?: Record<string, string>; body?: string | Buffer }) => {
        const identity = sequence++ % IDENTITIES;
        request.headers = { "content-type": "application/json", "x-environment-key": ENV_KEY };
        request.body = JSON.stringify({
          identifier: `user-${identity}`,
          traits: Object.entries(traitsOf(identity)).map(([trait_key, trait_value]) => ({
            trait_key,
            trait_value,
          })),
        });
        return request;
      },
    },
  ];
};

const ofrepRequests = () => {
  let sequence = 0;
  return [
    {
      method: "POST" as const,
      path: "/ofrep/v1/evaluate/flags",
      setupRequest: (request: { headers?: Record<string, string>; body?: string | Buffer }) => {
        const identity = sequence++ % IDENTITIES;
        request.headers = { "content-type": "application/json", authorization: `Bearer ${ENV_KEY}` };
        request.body = JSON.stringify({
          context: { targetingKey: `user-${identity}`, ...traitsOf(identity) },
        });
        return request;
      },
    },
  ];
};

const rate = (result: Result) => result.requests.total / result.duration;

const flagsRequests = () => [
  { method: "GET" as const, path: "/api/v1/flags/", headers: { "x-environment-key": ENV_KEY } },
];

/** The handler's own time of every answer (its Server-Timing header: routing and network excluded). */
function collectServerTimes(requests: AutocannonRequest[]) {
  const times: number[] = [];
  const onResponse: AutocannonRequest["onResponse"] = (_status, _body, _context, headers) => {
    const duration = /dur=([\d.]+)/.exec(headers["server-timing"] ?? "")?.[1];
    if (duration) times.push(Number(duration));
  };
  const percentile = (p: number) => {
    const sorted = [...times].sort((a, b) => a - b);
    return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
  };
  return { requests: requests.map((request) => ({ ...request, onResponse })), percentile };
}

function run(url: string, options: Partial<Parameters<typeof autocannon>[0]>, duration = DURATION) {
  return autocannon({ url, connections: CONCURRENCY, duration, timeout: 30, ...options });
}

async function main() {
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
    await seed();
    const port = await freePort();
    server = await startProductionServer(
      port,
      serverEnv,
      cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${cpuProfDir}`] : [],
    );
    const base = `http://127.0.0.1:${port}`;

    // Correctness first: the identity matches the three segments; the bulk answer has every flag.
    const identity = await fetch(`${base}/api/v1/identities/`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-environment-key": ENV_KEY },
      body: JSON.stringify({
        identifier: "check",
        traits: Object.entries(traitsOf(1)).map(([trait_key, trait_value]) => ({ trait_key, trait_value })),
      }),
    });
    const answer = (await identity.json()) as { flags: Array<{ feature_state_value: unknown }> };
    const overridden = answer.flags.filter((flag) =>
      /^segment [012]$/.test(String(flag.feature_state_value)),
    );
    if (overridden.length !== 15)
      throw new Error(`expected 15 flags from 3 segments, got ${overridden.length}`);

    // Warm-up: JIT, the snapshot, connection pools.
    if (only.has("flags")) await run(base, { requests: flagsRequests() }, 2);
    if (only.has("identities")) await run(base, { requests: identityRequests() }, 2);
    if (only.has("ofrep")) await run(base, { requests: ofrepRequests() }, 2);
    await run(`${base}/api/health`, {}, 2);

    const rows: Array<{ label: string; result: Result; health: Result; server: (p: number) => number }> = [];
    const measure = async (label: string, requests: AutocannonRequest[]) => {
      const timed = collectServerTimes(requests);
      const start = monotonicMicros();
      const result = await run(base, { requests: timed.requests });
      profileWindows.push([start, monotonicMicros()]);
      const health = await run(`${base}/api/health`, {});
      rows.push({ label, result, health, server: timed.percentile });
    };
    if (only.has("flags")) await measure("GET /api/v1/flags/", flagsRequests());
    if (only.has("identities")) await measure("POST /api/v1/identities/", identityRequests());
    if (only.has("ofrep")) await measure("POST /ofrep/v1/evaluate/flags", ofrepRequests());

    const database = usePostgres ? "PostgreSQL (temporary server)" : "embedded database (PGlite)";
    console.log(
      `\nbench:flags — production build, ${database}, ${os.cpus().length} CPUs, ${DURATION} s per run, ${CONCURRENCY} connections, autocannon on the same machine`,
    );
    console.log(
      `  environment: ${FEATURES} features, ${SEGMENTS} segments × 5 overrides; identities: ${IDENTITIES} rotating, 20 traits, 3 segments matching`,
    );
    console.log(
      `  per identity request: stored traits ${usePostgres ? "read from the database" : "from memory once read (embedded database only)"}; only the flags that differ from the environment's are evaluated, and answers are memoized per snapshot by those flags (these identities all share one: same 3 segments, no variants)`,
    );
    console.log("  ceiling: GET /api/health, measured right after each endpoint");
    console.log(
      "  server p50/p99: the handler's own time (its Server-Timing header), without Next.js routing, queueing or the network\n",
    );
    const pad = (text: string | number, width: number) => String(text).padStart(width);
    console.log(
      `${"endpoint".padEnd(30)} | ${pad("req/s", 7)} ${pad("p50 ms", 7)} ${pad("p99 ms", 7)} ${pad("non-2xx", 8)} | ${pad("server p50", 10)} ${pad("p99 ms", 7)} | ${pad("health req/s", 12)} ${pad("p50", 5)} ${pad("p99", 5)} | ${pad("share", 6)}`,
    );
    let failures = 0;
    for (const { label, result, health, server } of rows) {
      failures += result.non2xx + result.errors;
      console.log(
        `${label.padEnd(30)} | ${pad(rate(result).toFixed(0), 7)} ${pad(result.latency.p50, 7)} ${pad(result.latency.p99, 7)} ${pad(result.non2xx + result.errors, 8)} | ` +
          `${pad(server(50).toFixed(2), 10)} ${pad(server(99).toFixed(2), 7)} | ` +
          `${pad(rate(health).toFixed(0), 12)} ${pad(health.latency.p50, 5)} ${pad(health.latency.p99, 5)} | ${pad(`${((rate(result) / rate(health)) * 100).toFixed(0)}%`, 6)}`,
      );
    }
    const incomplete = rows.flatMap(({ label, result }) =>
      result.timeouts > 0 || result.errors > 0
        ? [
            `  ${label}: ${result.timeouts} timeouts, ${result.errors} errors, ${result.requests.total} completed`,
          ]
        : [],
    );
    if (incomplete.length) console.log(`\n${incomplete.join("\n")}`);
    if (failures > 0) process.exitCode = 1;
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
  if (cpuProfDir)
    printServerProfile(cpuProfDir, profileWindows, "the endpoints were measured (health runs excluded)");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
