// npm test: every check Flagpost has, in order of speed:
//   0. types, lint, formatting, unused code (tsc, ESLint, Prettier --check, knip)
//   1. unit tests                       (vitest project "unit")
//   2. integration tests, embedded      (vitest project "integration" on in-process PGlite)
//   3. integration tests, PostgreSQL    (the same suite on a temporary PostgreSQL server)
//   4. production build + end-to-end    (Playwright in system Chromium against `next start`)
// All stages run even when one fails; the exit code is non-zero if any failed.
// FLAGPOST_TEST_SKIP_POSTGRES=1 or FLAGPOST_TEST_SKIP_E2E=1 skip a stage explicitly.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startTempPostgres } from "./lib/temp-postgres.mjs";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const results = [];
// Each test stage also writes a JSON report here; the summary names the tests that failed, so the
// end of a long CI log says what broke without scrolling back through every stage.
const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), "flagpost-test-reports-"));

function stage(name, command, args, extraEnv = {}, failedTests = () => []) {
  const started = Date.now();
  process.stdout.write(`\n━━ ${name} ━━\n`);
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...env, ...extraEnv } });
  const ok = result.status === 0;
  results.push({ name, ok, seconds: (Date.now() - started) / 1000, failures: ok ? [] : failedTests() });
  return ok;
}

const readReport = (file) => {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
};
const firstLine = (text) =>
  String(text ?? "")
    .replace(/\x1b\[[0-9;]*m/g, "")
    .trim()
    .split("\n")[0]
    .slice(0, 300);

/** A vitest stage: its usual output, plus a JSON report the summary reads failures from. */
function vitestStage(name, project, extraEnv = {}) {
  const report = path.join(reportDir, `${name.replace(/\W+/g, "-")}.json`);
  return stage(
    name,
    "npx",
    [
      "vitest",
      "run",
      "--project",
      project,
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${report}`,
    ],
    extraEnv,
    () =>
      (readReport(report)?.testResults ?? []).flatMap((file) => {
        const where = path.relative(process.cwd(), file.name);
        const tests = file.assertionResults
          .filter((test) => test.status === "failed")
          .map((test) => `${where} › ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`);
        return tests.length || file.status !== "failed" ? tests : [`${where}: ${firstLine(file.message)}`];
      }),
  );
}

/** Playwright's JSON report: errors outside tests, then the specs (nested in suites) not ok. */
function playwrightFailures(report) {
  const walk = (suite) => [
    ...(suite.specs ?? [])
      .filter((spec) => !spec.ok)
      .map((spec) => {
        const error = spec.tests?.flatMap((test) => test.results ?? []).find((run) => run.error)?.error;
        return `${spec.file}:${spec.line} › ${spec.title}: ${firstLine(error?.message)}`;
      }),
    ...(suite.suites ?? []).flatMap(walk),
  ];
  const errors = (report?.errors ?? []).map((error) => firstLine(error.message));
  return [...errors, ...(report?.suites ?? []).flatMap(walk)];
}

function skip(name, reason) {
  process.stdout.write(`\n━━ ${name}: skipped (${reason}) ━━\n`);
  results.push({ name, ok: true, skipped: reason, seconds: 0 });
}

const overall = Date.now();
stage("Type check", "npx", ["tsc", "--noEmit"]);
stage("Lint (ESLint)", "npx", ["eslint", "--max-warnings", "0", "."]);
stage("Formatting (Prettier)", "npx", ["prettier", "--check", "--log-level", "warn", "."]);
stage("Unused files, exports and dependencies (knip)", "npx", ["knip", "--no-progress"]);
vitestStage("Unit tests", "unit");
vitestStage("Integration tests (embedded PGlite)", "integration");

if (process.env.FLAGPOST_TEST_SKIP_POSTGRES === "1") {
  skip("Integration tests (PostgreSQL)", "FLAGPOST_TEST_SKIP_POSTGRES=1");
} else {
  let server;
  try {
    server = await startTempPostgres();
  } catch (error) {
    process.stdout.write(`\nCannot start PostgreSQL: ${error.message}\n`);
    results.push({ name: "Integration tests (PostgreSQL)", ok: false, seconds: 0 });
  }
  if (server) {
    vitestStage("Integration tests (PostgreSQL)", "integration", { TEST_DATABASE_URL: server.url });
    server.stop();
  }
}

if (process.env.FLAGPOST_TEST_SKIP_E2E === "1") {
  skip("End-to-end tests", "FLAGPOST_TEST_SKIP_E2E=1");
} else if (!fs.existsSync(process.env.CHROMIUM_PATH ?? "/usr/bin/chromium")) {
  process.stdout.write(
    "\nChromium not found at /usr/bin/chromium (apt-get install chromium, or set CHROMIUM_PATH)\n",
  );
  results.push({ name: "End-to-end tests", ok: false, seconds: 0 });
} else {
  // A build must not touch the database, the secret key or the data directory: build with a data
  // directory that does not exist and check that it still does not.
  const buildDataDir = path.join(os.tmpdir(), `flagpost-build-data-${process.pid}`);
  const built = stage("Production build", "npx", ["next", "build"], {
    FLAGPOST_DATA_DIR: buildDataDir,
    DATABASE_URL: "",
  });
  const touched = fs.existsSync(buildDataDir);
  if (touched)
    process.stdout.write(`\nThe build created ${buildDataDir}: it opened the database or the key\n`);
  results.push({ name: "Build leaves the data directory alone", ok: !touched, seconds: 0 });
  fs.rmSync(buildDataDir, { recursive: true, force: true });
  const report = path.join(reportDir, "e2e.json");
  if (built)
    stage(
      "End-to-end tests (Playwright, Chromium)",
      "npx",
      ["playwright", "test", "--reporter=list,json"],
      { PLAYWRIGHT_JSON_OUTPUT_NAME: report },
      () => playwrightFailures(readReport(report)),
    );
}

process.stdout.write("\n━━ Summary ━━\n");
for (const { name, ok, skipped, seconds, failures = [] } of results) {
  process.stdout.write(
    `${skipped ? "SKIP" : ok ? "PASS" : "FAIL"}  ${name}${seconds ? `  (${seconds.toFixed(0)} s)` : ""}\n`,
  );
  for (const failure of failures) process.stdout.write(`        ✗ ${failure}\n`);
}
fs.rmSync(reportDir, { recursive: true, force: true });
process.stdout.write(`Total ${((Date.now() - overall) / 1000 / 60).toFixed(1)} min\n`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
