import "server-only";
import fs from "node:fs";
import path from "node:path";

// PGlite keeps the whole database in one process; two processes opening the same directory would
// corrupt it. A lock file holding the owner's pid keeps the second one out with a clear message.

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

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes the lock or throws EmbeddedDatabaseBusyError; returns a function that releases it. */
export function lockEmbeddedDatabase(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, "embedded-db.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }), {
        flag: "wx",
      });
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
      let pid = 0;
      try {
        pid = Number((JSON.parse(fs.readFileSync(file, "utf8")) as { pid?: number }).pid) || 0;
      } catch {
        // Unreadable lock file: treat as stale.
      }
      if (pid && pid !== process.pid && isAlive(pid)) throw new EmbeddedDatabaseBusyError(dataDir, pid);
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not lock the embedded database in ${dataDir}`);
}
