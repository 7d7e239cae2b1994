import "server-only";

// Statements that many concurrent requests make one row at a time (reading an identity's stored
// traits, storing an accepted webhook delivery) are sent as one: the first call starts a batch at
// once (after the current turn of the event loop, to gather the requests parsed with it), and calls
// made while a batch is in flight wait for it and go together in the next. Under load one statement
// serves dozens of requests; alone, a call waits for nothing.

interface Waiter<Value> {
  resolve: (value: Value | null) => void;
  reject: (error: unknown) => void;
}

export class BatchedStatement<Key, Value> {
  private queued = new Map<string, { key: Key; waiters: Array<Waiter<Value>> }>();
  private inFlight = false;

  /**
   * `runMany` answers a batch of distinct keys (by `id`); a key it leaves out reads null.
   * At most `maxBatch` keys go in one call.
   */
  constructor(
    private readonly id: (key: Key) => string,
    private readonly runMany: (keys: Key[]) => Promise<Map<string, Value>>,
    private readonly maxBatch = 200,
  ) {}

  run(key: Key): Promise<Value | null> {
    return new Promise((resolve, reject) => {
      const id = this.id(key);
      const entry = this.queued.get(id);
      if (entry) entry.waiters.push({ resolve, reject });
      else this.queued.set(id, { key, waiters: [{ resolve, reject }] });
      if (!this.inFlight) {
        this.inFlight = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queued.size > 0) {
      const batch = [...this.queued].slice(0, this.maxBatch);
      for (const [id] of batch) this.queued.delete(id);
      try {
        const found = await this.runMany(batch.map(([, entry]) => entry.key));
        for (const [id, entry] of batch)
          for (const waiter of entry.waiters) waiter.resolve(found.get(id) ?? null);
      } catch (error) {
        for (const [, entry] of batch) for (const waiter of entry.waiters) waiter.reject(error);
      }
    }
    this.inFlight = false;
  }
}
