// `flagpost evaluate` end to end: the real CLI in a child process (tsx with the react-server
// condition, as `npm run flagpost` runs it), reading a context from a file or stdin.
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EvaluationResult } from "@/lib/engine";

const CONTEXT = `{
  // comments are allowed, as in the API contract; "http://not-a-comment" stays a string
  "environment": { "key": "env-key", "name": "production" },
  "identity": { "identifier": "user-1", "traits": { "plan": "pro", "url": "http://not-a-comment" } },
  "segments": {
    "7": {
      "key": "7",
      "name": "pro users",
      "rules": [{ "type": "ALL", "conditions": [{ "property": "plan", "operator": "EQUAL", "value": "pro" }] }],
      "overrides": [{ "key": "70", "name": "banner", "enabled": true, "value": "gold", "priority": 1 }]
    }
  },
  "features": {
    "banner": { "key": "10", "name": "banner", "enabled": false, "value": "plain" },
    "search": { "key": "11", "name": "search", "enabled": true, "value": null }
  }
}`;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function flagpost(args: string[], stdin?: string): Promise<Run> {
  const child = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "scripts/flagpost.ts", ...args],
    { cwd: process.cwd(), env: { ...process.env, FLAGPOST_LOG_LEVEL: "warn" }, stdio: "pipe" },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(stdin ?? "");
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "flagpost-evaluate-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function expectBannerFromSegment(run: Run) {
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  const result = JSON.parse(run.stdout) as EvaluationResult;
  expect(result.flags.banner).toMatchObject({
    enabled: true,
    value: "gold",
    reason: "TARGETING_MATCH; segment=pro users",
  });
  expect(result.flags.search).toMatchObject({ enabled: true, value: null, reason: "DEFAULT" });
  expect(result.segments).toEqual([{ name: "pro users" }]);
}

describe("flagpost evaluate", { timeout: 30_000 }, () => {
  it("evaluates a context read from a file", async () => {
    const file = path.join(dir, "context.json");
    await writeFile(file, CONTEXT);
    expectBannerFromSegment(await flagpost(["evaluate", file]));
  });

  it("evaluates a context read from stdin (no FILE, or -)", async () => {
    expectBannerFromSegment(await flagpost(["evaluate"], CONTEXT));
    expectBannerFromSegment(await flagpost(["evaluate", "-"], CONTEXT));
  });

  it("refuses text that is not JSON with exit code 2 and nothing on stdout", async () => {
    const run = await flagpost(["evaluate"], '{ "environment": ');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/invalid evaluation context \(stdin\):\n {2}\$: not valid JSON/);
  });

  it("names the path of every shape problem, including invalid rules, with exit code 2", async () => {
    const context = {
      environment: { key: "env-key" },
      identity: { identifier: "user-1", traits: { plan: { nested: true } } },
      segments: {
        "beta testers": {
          key: "1",
          name: "beta",
          rules: [{ type: "ALL", conditions: [{ property: "plan", operator: "MODULO", value: "2" }] }],
        },
      },
      features: { banner: { key: "10", name: "banner", enabled: "yes", value: "plain" } },
    };
    const file = path.join(dir, "invalid.json");
    await writeFile(file, JSON.stringify(context));
    const run = await flagpost(["evaluate", file]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`invalid evaluation context (${file})`);
    expect(run.stderr).toContain("$.environment.name:");
    expect(run.stderr).toContain("$.identity.traits.plan:");
    expect(run.stderr).toContain('$.segments["beta testers"].rules[0].conditions[0].value: MODULO takes');
    expect(run.stderr).toContain("$.features.banner.enabled:");
  });

  it("says so when the file cannot be read (exit code 2)", async () => {
    const run = await flagpost(["evaluate", path.join(dir, "missing.json")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot read .*missing\.json/);
  });
});
