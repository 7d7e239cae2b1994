import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// Reads the .cpuprofile files `node --cpu-prof` writes on exit and sums the sampled time per
// function (self time: the function was on top of the stack), for a benchmark's opt-in profile.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface SelfTime {
  name: string;
  location: string;
  ms: number;
  share: number;
}

/** Microseconds on the monotonic clock, the one V8 stamps profile samples with. */
export const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);

/**
 * Self time per function over every profile in `dir`, largest first; only samples taken within
 * `windows` ([start, end] in monotonicMicros() of any process on this machine) when given.
 */
function topSelfTimes(
  dir: string,
  { limit = 30, windows }: { limit?: number; windows?: Array<[number, number]> } = {},
): { totalMs: number; top: SelfTime[] } {
  const byFunction = new Map<string, { name: string; location: string; us: number }>();
  let totalUs = 0;
  for (const file of fs.readdirSync(dir).filter((name) => name.endsWith(".cpuprofile"))) {
    const profile = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as CpuProfile;
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    const samples = profile.samples ?? [];
    const deltas = profile.timeDeltas ?? [];
    let timestamp = profile.startTime;
    for (let index = 0; index < samples.length; index++) {
      timestamp += deltas[index] ?? 0;
      const node = nodes.get(samples[index]!);
      // A sample's time is the gap to the next one.
      const us = Math.max(0, deltas[index + 1] ?? 0);
      if (!node) continue;
      if (windows && !windows.some(([start, end]) => start <= timestamp && timestamp <= end)) continue;
      const { functionName, url, lineNumber } = node.callFrame;
      const name = functionName || "(anonymous)";
      const location = url
        ? `${url
            .replace(/^file:\/\//, "")
            .split("/.next/")
            .pop()}:${lineNumber + 1}`
        : "";
      const key = `${name}\u0000${location}`;
      const entry = byFunction.get(key) ?? { name, location, us: 0 };
      entry.us += us;
      byFunction.set(key, entry);
      totalUs += us;
    }
  }
  const top = [...byFunction.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, limit)
    .map((entry) => ({
      name: entry.name,
      location: entry.location,
      ms: entry.us / 1000,
      share: totalUs > 0 ? entry.us / totalUs : 0,
    }));
  return { totalMs: totalUs / 1000, top };
}

/** Prints the functions with the most self time in a server's profiles (written when it exited). */
export function printServerProfile(dir: string, windows: Array<[number, number]>, measured: string) {
  // Kept beside the profiles, for a closer look (e.g. inclusive times) afterwards.
  fs.writeFileSync(path.join(dir, "measured-windows.json"), JSON.stringify(windows));
  const { totalMs, top } = topSelfTimes(dir, { windows });
  if (top.length === 0) {
    console.log(`\nNo CPU profile was written to ${dir} (the server did not exit cleanly).`);
    return;
  }
  console.log(
    `\nServer CPU profile (${dir}): ${(totalMs / 1000).toFixed(1)} s sampled while ${measured}; top self time`,
  );
  for (const entry of top)
    console.log(
      `${(entry.share * 100).toFixed(1).padStart(5)}% ${entry.ms.toFixed(0).padStart(7)} ms  ${entry.name.slice(0, 50).padEnd(50)} ${entry.location}`,
    );
}

/** `--cpu-prof [DIR]` among a bench's arguments: the directory for the profiles (a new temporary one without DIR), or null. */
export function cpuProfileDir(args: string[], bench: string): string | null {
  const index = args.indexOf("--cpu-prof");
  if (index < 0) return null;
  const given = args[index + 1];
  const dir =
    given && !given.startsWith("--")
      ? path.resolve(given)
      : fs.mkdtempSync(path.join(os.tmpdir(), `flagpost-${bench}-profile-`));
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
