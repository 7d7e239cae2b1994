import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoSeed } from "@/tools/gitlab-sim/seed";
import { startGitLabSimulator, type GitLabSimulator } from "@/tools/gitlab-sim/server";
import { closeDatabase, currentDatabase, prisma, setCurrentDatabase } from "@/lib/db/client";
import { openDatabase } from "@/lib/db/open-database";
import { env, resetEnvForTests } from "@/lib/env";
import { STATUS_NOTE_JOB } from "@/lib/gitlab/notes/status-note-outbox";
import { environmentRow, flags, linkItem, notesProject, statusNotes } from "@/tests/support/gitlab-notes";

// kill -9 in the middle of a batch, then a restart: every note exists exactly once, with the final
// state. The worker runs as a child process (`flagpost worker`, the same code the server runs)
// against this file's database: on PostgreSQL beside this process; on the embedded database the
// test hands its data directory over (PGlite is single-process) and takes it back at the end.

process.env.FLAGPOST_JOB_DEBOUNCE_MS = "0";
resetEnvForTests();

const ITEMS = 12;
const LEASE_MS = 3_000;

let gl: GitLabSimulator;
let seed: DemoSeed;
let databaseUrl: string | null = null;

beforeAll(async () => {
  gl = await startGitLabSimulator({ port: 0 });
  seed = gl.sim.seedDemo();
  if (currentDatabase().kind === "postgres") {
    const [row] = await currentDatabase().sql.query<{ current_database: string }>(
      "SELECT current_database()",
    );
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = `/${row!.current_database}`;
    databaseUrl = url.toString();
  } else {
    // A database on disk the worker can open once this process lets go of it.
    await closeDatabase();
    setCurrentDatabase(await openDatabase({ kind: "embedded", dataDir: env().dataDir }));
  }
});
afterAll(() => gl.close());

interface Worker {
  process: ChildProcess;
  exited: Promise<number | null>;
  log: () => string;
}

function startWorker(): Worker {
  const child = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "scripts/flagpost.ts", "worker"],
    {
      cwd: process.cwd(),
      env: {
        ...process.env,
        // Same data directory: the generated secret key that sealed the GitLab token lives there.
        FLAGPOST_DATA_DIR: env().dataDir,
        DATABASE_URL: databaseUrl ?? "",
        FLAGPOST_JOB_LEASE_MS: String(LEASE_MS),
        FLAGPOST_LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { process: child, exited, log: () => stderr };
}

async function until(condition: () => boolean, timeoutMs: number, what: string, worker: Worker) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`Timed out waiting for ${what}. Worker said:\n${worker.log()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("a worker killed mid-batch", () => {
  it("leaves no duplicate and no stale note once it is restarted", { timeout: 120_000 }, async () => {
    const iids: number[] = [];
    const p = await notesProject(gl, seed);
    for (let n = 0; n < ITEMS; n++)
      iids.push(
        gl.sim.createIssue(seed.projectId, { title: `Crash ${n}`, author_id: seed.users.alice })
          .iid as number,
      );
    for (const iid of iids) await linkItem(p, `#${iid}`);
    await flags.setState(p, p.environments[1]!, { enabled: true, feature_state_value: "final" });
    expect(await prisma.job.count({ where: { kind: STATUS_NOTE_JOB, status: "PENDING" } })).toBe(ITEMS);
    if (!databaseUrl) await closeDatabase();

    const notedItems = () => iids.filter((iid) => statusNotes(gl, seed, iid, p.featureId).length > 0).length;
    // Slow enough that several comments are in flight when the kill lands.
    gl.sim.setLatency(400, "/notes");
    gl.sim.clearRequests();

    const first = startWorker();
    await until(() => notedItems() >= 3, 60_000, "the first notes", first);
    first.process.kill("SIGKILL");
    const killedAt = Date.now();
    expect(await first.exited).toBeNull();
    const notedAtKill = notedItems();
    expect(notedAtKill).toBeLessThan(ITEMS);

    // Requests the dead worker had sent still complete in GitLab: their notes exist, their ids
    // were never saved. The restarted worker must find them instead of posting again.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const existing = notedItems();
    gl.sim.setLatency(0);
    gl.sim.clearRequests();
    const second = startWorker();
    const done = () =>
      iids.every((iid) => {
        const notes = statusNotes(gl, seed, iid, p.featureId);
        return (
          notes.length === 1 &&
          /\| ✅ Enabled \| `final` \|/.test(environmentRow(notes[0]!.body, "Production") ?? "")
        );
      });
    await until(done, 60_000, "every note in its final state", second);
    // The notes can be final while jobs the dead worker leased are still RUNNING (their notes were
    // posted before the kill): stop the worker only once those leases expired (it wakes for them,
    // or sweeps every 5 s) and GitLab has seen no request for a second, so it ran them again.
    let seen = -1;
    let changedAt = Date.now();
    const settled = () => {
      const count = gl.sim.requests().length;
      if (count !== seen) [seen, changedAt] = [count, Date.now()];
      return Date.now() > killedAt + LEASE_MS + 5_500 && Date.now() - changedAt > 1_000;
    };
    await until(settled, 60_000, "the dead worker's jobs to run again", second);
    second.process.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    expect(second.log()).toContain("SIGTERM: finishing the jobs in hand");

    for (const iid of iids) expect(statusNotes(gl, seed, iid, p.featureId)).toHaveLength(1);
    // Only the items without a note got one: the others were found by their marker, ids unsaved or not.
    const posts = gl.sim
      .requests()
      .filter((request) => request.method === "POST" && request.path.endsWith("/notes"));
    expect(posts).toHaveLength(ITEMS - existing);

    if (!databaseUrl) setCurrentDatabase(await openDatabase({ kind: "embedded", dataDir: env().dataDir }));
    const jobs = await prisma.job.findMany({ where: { kind: STATUS_NOTE_JOB } });
    expect(jobs.map((job) => job.status)).toEqual(Array(ITEMS).fill("SUCCEEDED"));
    // Jobs the dead worker held were run again once their leases expired.
    expect(jobs.some((job) => job.attempts >= 2)).toBe(true);
    const rows = await prisma.statusNote.findMany({ where: { featureId: p.featureId } });
    expect(rows.map((row) => row.noteId).sort()).toEqual(
      iids.map((iid) => statusNotes(gl, seed, iid, p.featureId)[0]!.id).sort(),
    );
  });
});
