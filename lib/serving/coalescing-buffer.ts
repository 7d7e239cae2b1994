import "server-only";
import { logger } from "@/lib/logger";

// Writes that SDK requests cause (traits, evaluation counts) are answered at once and written in
// the background: entries with the same key merge in memory, and the whole buffer is written in
// one go after an interval or as soon as it holds too many keys. A crash loses at most one
// interval's entries; the answers never waited for them. While a batch is being written, readers
// still see it (`unwritten`), so a client sees its own writes at once on this instance.

export interface CoalescingBufferOptions<Entry> {
  /** What is written, for the log line when writing fails. */
  what: string;
  intervalMs: number;
  /** Keys held before a write starts without waiting for the interval. */
  maxKeys: number;
  write: (batch: Entry[]) => Promise<void>;
}

export class CoalescingBuffer<Entry> {
  private pending = new Map<string, Entry>();
  private writing = new Map<string, Entry>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly options: CoalescingBufferOptions<Entry>) {}

  /** Merges into the pending entry of `key` (created first if there is none). */
  add(key: string, create: () => Entry, merge: (entry: Entry) => void) {
    let entry = this.pending.get(key);
    if (!entry) {
      entry = create();
      this.pending.set(key, entry);
    }
    merge(entry);
    if (this.pending.size >= this.options.maxKeys) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.options.intervalMs);
      this.timer.unref?.();
    }
  }

  /** The entries of `key` not yet committed: the one being written, then the pending one. */
  unwritten(key: string): Entry[] {
    return [this.writing.get(key), this.pending.get(key)].filter((entry) => entry !== undefined);
  }

  /** Writes everything added so far (shutdown and tests call it directly). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.size === 0) return this.flushing;
    const batch = this.pending;
    this.pending = new Map();
    for (const [key, entry] of batch) this.writing.set(key, entry);
    const entries = [...batch.values()];
    this.flushing = this.flushing
      .then(() => this.options.write(entries))
      .catch((error: unknown) =>
        logger.error(`Writing ${this.options.what} failed`, { error, entries: entries.length }),
      )
      .finally(() => {
        for (const [key, entry] of batch) if (this.writing.get(key) === entry) this.writing.delete(key);
      });
    return this.flushing;
  }
}
