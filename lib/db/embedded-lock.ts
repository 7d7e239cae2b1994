import "server-only";
import fs from "node:fs";
import path from "node:path";

// PGlite keeps the whole database in one process; two processes opening the same directory would
// corrupt it. A lock file holding the owner's pid keeps the second one out with a clear message.
// A lock only counts while its owner lives: a pid that is gone, a zombie, or a pid the system has
// since given to another program (its start time differs, or, for a lock written without one, it
// is not a Node.js process) leaves a stale lock that the next start removes.

export class EmbeddedDatabaseBusyError extends Error {
  constructor(
    public readonly dataDir: string,
    public readonly pid: number,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by another Flagpost process (pid ${pid}). ` +
        `Stop that process first, or use the running server (its UI or API) instead.`,
    );
    this.name = "EmbeddedDatabaseBusyError";
  }
}

interface LockOwner {
  pid: number;
  /** The process's start time in clock ticks since boot (/proc/<pid>/stat field 22), where known. */
  startTime?: string;
}

/** State and start time of a process from /proc (Linux); null where /proc is not available. */
function procStat(pid: number): { state: string; startTime: string } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: the fields after it follow the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { state: fields[0]!, startTime: fields[19]! };
  } catch {
    return null;
  }
}

/** Whether the pid runs Node.js, as every Flagpost process does (unknown: assume it does). */
function looksLikeNode(pid: number): boolean {
  try {
    const argv0 = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] ?? "";
    // Node itself, or a Next.js process that renamed itself ("next-server (v…)").
    return /(^|\/)node(js)?$/.test(argv0) || argv0.startsWith("next-");
  } catch {
    return true;
  }
}

/** Whether the process that wrote this lock still holds it. */
function lockOwnerAlive(owner: LockOwner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const stat = procStat(owner.pid);
  if (!stat) return true; // No /proc (macOS): the pid is all we can go by.
  if (stat.state === "Z" || stat.state === "X") return false;
  if (owner.startTime !== undefined) return stat.startTime === owner.startTime;
  return looksLikeNode(owner.pid);
}

/** Takes the lock or throws EmbeddedDatabaseBusyError; returns a function that releases it. */
export function lockEmbeddedDatabase(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, "embedded-db.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const startTime = procStat(process.pid)?.startTime;
      fs.writeFileSync(
        file,
        JSON.stringify({ pid: process.pid, startTime, since: new Date().toISOString() }),
        { flag: "wx" },
      );
      const release = () => {
        try {
          const owner = JSON.parse(fs.readFileSync(file, "utf8")) as { pid?: number };
          if (owner.pid === process.pid) fs.unlinkSync(file);
        } catch {
          // Already gone.
        }
      };
      process.once("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      let owner: LockOwner = { pid: 0 };
      try {
        const stored = JSON.parse(fs.readFileSync(file, "utf8")) as { pid?: unknown; startTime?: unknown };
        owner = {
          pid: Number(stored.pid) || 0,
          startTime: typeof stored.startTime === "string" ? stored.startTime : undefined,
        };
      } catch {
        // Unreadable lock file: treat as stale.
      }
      if (owner.pid && owner.pid !== process.pid && lockOwnerAlive(owner))
        throw new EmbeddedDatabaseBusyError(dataDir, owner.pid);
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not lock the embedded database in ${dataDir}`);
}
