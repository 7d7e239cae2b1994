import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EmbeddedDatabaseBusyError, lockEmbeddedDatabase } from "@/lib/db/embedded-lock";

// The embedded database's lock keeps a second live Flagpost out, and nothing else: a lock left by
// a process that is gone, a zombie, or a pid since reused by another program must not block start.

let dataDir: string;
let lockFile: string;
const children: ChildProcess[] = [];

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "flagpost-lock-"));
  lockFile = path.join(dataDir, "embedded-db.lock");
});
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const writeLock = (owner: Record<string, unknown>) => fs.writeFileSync(lockFile, JSON.stringify(owner));
const startTimeOf = (pid: number) => {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]!;
};
const stateOf = (pid: number) => {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
};

/** A long-running process that is not Flagpost (another program). */
function otherProgram(): number {
  const child = spawn("sleep", ["30"], { stdio: "ignore" });
  children.push(child);
  return child.pid!;
}

/** A node process (what a Flagpost process looks like from outside). */
function nodeProcess(): number {
  const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"], { stdio: "ignore" });
  children.push(child);
  return child.pid!;
}

/** A zombie: a child that exited and whose parent (`sleep`, exec'd by sh) never reaps it. */
async function zombie(): Promise<number> {
  const parent = spawn("sh", ["-c", "sleep 0 & echo $!; exec sleep 30"], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  children.push(parent);
  const pid = await new Promise<number>((resolve) =>
    parent.stdout!.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
  );
  for (let tries = 0; tries < 200 && stateOf(pid) !== "Z"; tries++)
    await new Promise((resolve) => setTimeout(resolve, 10));
  expect(stateOf(pid)).toBe("Z");
  return pid;
}

describe("the embedded database lock", () => {
  it("writes the owner's pid and start time, and releases its own lock", () => {
    const release = lockEmbeddedDatabase(dataDir);
    expect(JSON.parse(fs.readFileSync(lockFile, "utf8"))).toMatchObject({
      pid: process.pid,
      startTime: startTimeOf(process.pid),
    });
    release();
    expect(fs.existsSync(lockFile)).toBe(false);
  });

  it("keeps a second live owner out", async () => {
    const pid = nodeProcess();
    await new Promise((resolve) => setTimeout(resolve, 50));
    writeLock({ pid, startTime: startTimeOf(pid) });
    expect(() => lockEmbeddedDatabase(dataDir)).toThrow(EmbeddedDatabaseBusyError);
    // A lock written without a start time (older versions) by a node process counts too.
    writeLock({ pid });
    expect(() => lockEmbeddedDatabase(dataDir)).toThrow(EmbeddedDatabaseBusyError);
  });

  it("takes over the lock of a process that is gone", () => {
    // Above Linux's highest pid (2^22): no process can have it.
    writeLock({ pid: 2 ** 22 + 7 });
    const release = lockEmbeddedDatabase(dataDir);
    expect(JSON.parse(fs.readFileSync(lockFile, "utf8")).pid).toBe(process.pid);
    release();
  });

  it("takes over a lock whose pid is a zombie", async () => {
    const pid = await zombie();
    writeLock({ pid, startTime: startTimeOf(pid) });
    const release = lockEmbeddedDatabase(dataDir);
    expect(JSON.parse(fs.readFileSync(lockFile, "utf8")).pid).toBe(process.pid);
    release();
  });

  it("takes over a lock whose pid now belongs to another program", () => {
    const pid = otherProgram();
    // Same pid, but started at another time than the lock's owner: the pid was reused.
    writeLock({ pid, startTime: "1" });
    lockEmbeddedDatabase(dataDir)();
    // Without a start time in the lock: not a Node.js process, so not Flagpost.
    writeLock({ pid });
    const release = lockEmbeddedDatabase(dataDir);
    expect(JSON.parse(fs.readFileSync(lockFile, "utf8")).pid).toBe(process.pid);
    release();
  });
});
