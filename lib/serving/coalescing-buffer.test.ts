import { afterEach, describe, expect, it, vi } from "vitest";
import { CoalescingBuffer } from "@/lib/serving/coalescing-buffer";

interface Counter {
  key: string;
  count: number;
}

function counterBuffer(write: (batch: Counter[]) => Promise<void>, maxKeys = 100) {
  const buffer = new CoalescingBuffer<Counter>({ what: "counters", intervalMs: 1_000, maxKeys, write });
  const add = (key: string, count: number) =>
    buffer.add(
      key,
      () => ({ key, count: 0 }),
      (entry) => {
        entry.count += count;
      },
    );
  return { buffer, add };
}

afterEach(() => vi.useRealTimers());

describe("CoalescingBuffer", () => {
  it("merges entries of one key and writes them once, after the interval", async () => {
    vi.useFakeTimers();
    const batches: Counter[][] = [];
    const { buffer, add } = counterBuffer(async (batch) => {
      batches.push(structuredClone(batch));
    });
    add("a", 1);
    add("a", 2);
    add("b", 5);
    expect(batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(batches).toEqual([
      [
        { key: "a", count: 3 },
        { key: "b", count: 5 },
      ],
    ]);
    await buffer.flush();
    expect(batches).toHaveLength(1);
  });

  it("writes at once when too many keys wait", async () => {
    const batches: Counter[][] = [];
    const { buffer, add } = counterBuffer(async (batch) => {
      batches.push(batch);
    }, 2);
    add("a", 1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([]);
    add("b", 1);
    // Well before the one-second interval.
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches.map((batch) => batch.map((entry) => entry.key))).toEqual([["a", "b"]]);
    await buffer.flush();
    expect(batches).toHaveLength(1);
  });

  it("shows entries being written until the write commits, then neither", async () => {
    let commit!: () => void;
    const { buffer, add } = counterBuffer(() => new Promise<void>((resolve) => (commit = resolve)));
    add("a", 1);
    const flushed = buffer.flush();
    add("a", 10);
    expect(buffer.unwritten("a").map((entry) => entry.count)).toEqual([1, 10]);
    await vi.waitFor(() => expect(commit).toBeTypeOf("function"));
    commit();
    await flushed;
    expect(buffer.unwritten("a").map((entry) => entry.count)).toEqual([10]);
  });

  it("a failed write is logged, not thrown, and the next batch is still written", async () => {
    const written: Counter[][] = [];
    let fail = true;
    const { buffer, add } = counterBuffer(async (batch) => {
      if (fail) throw new Error("database away");
      written.push(batch);
    });
    add("a", 1);
    await expect(buffer.flush()).resolves.toBeUndefined();
    expect(buffer.unwritten("a")).toEqual([]);
    fail = false;
    add("b", 2);
    await buffer.flush();
    expect(written).toEqual([[{ key: "b", count: 2 }]]);
  });
});
