import { describe, expect, it } from "vitest";
import { BatchedStatement } from "@/lib/db/batched-statement";

function recordingLoader(maxBatch?: number, fail?: (keys: string[]) => boolean) {
  const calls: string[][] = [];
  let release: () => void = () => undefined;
  let gate: Promise<void> | null = null;
  const loader = new BatchedStatement<string, string>(
    (key) => key,
    async (keys) => {
      calls.push(keys);
      if (gate) await gate;
      if (fail?.(keys)) throw new Error("database gone");
      return new Map(keys.filter((key) => !key.startsWith("missing")).map((key) => [key, key.toUpperCase()]));
    },
    maxBatch,
  );
  return {
    loader,
    calls,
    hold: () => (gate = new Promise<void>((resolve) => (release = resolve))),
    release: () => {
      gate = null;
      release();
    },
  };
}

describe("BatchedStatement", () => {
  it("answers the loads of one turn with one call, sharing repeated keys; a key not found reads null", async () => {
    const { loader, calls } = recordingLoader();
    const answers = await Promise.all(["a", "b", "a", "missing-c"].map((key) => loader.run(key)));
    expect(answers).toEqual(["A", "B", "A", null]);
    expect(calls).toEqual([["a", "b", "missing-c"]]);
  });

  it("sends the loads made while a call is in flight together in the next call", async () => {
    const { loader, calls, hold, release } = recordingLoader();
    hold();
    const first = loader.run("a");
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual([["a"]]);
    const later = ["b", "c", "d"].map((key) => loader.run(key));
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toHaveLength(1);
    release();
    expect(await Promise.all([first, ...later])).toEqual(["A", "B", "C", "D"]);
    expect(calls).toEqual([["a"], ["b", "c", "d"]]);
    // Idle again: the next load starts its own call at once.
    expect(await loader.run("e")).toBe("E");
    expect(calls).toHaveLength(3);
  });

  it("splits a batch larger than maxBatch", async () => {
    const { loader, calls } = recordingLoader(2);
    expect(await Promise.all(["a", "b", "c"].map((key) => loader.run(key)))).toEqual(["A", "B", "C"]);
    expect(calls).toEqual([["a", "b"], ["c"]]);
  });

  it("rejects every load of a failed call, and later loads still work", async () => {
    const { loader, calls } = recordingLoader(undefined, (keys) => keys.includes("bad"));
    const results = await Promise.allSettled(["a", "bad"].map((key) => loader.run(key)));
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected"]);
    expect(await loader.run("a")).toBe("A");
    expect(calls).toEqual([["a", "bad"], ["a"]]);
  });
});
