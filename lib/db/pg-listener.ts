import "server-only";
import pg from "pg";

// LISTEN on PostgreSQL over one dedicated connection (a pooled one would be handed to other
// queries). The connection can drop (database restart, network): it reconnects with a growing
// delay and reports each loss and recovery, so the caller knows when it may have missed a NOTIFY.

const MAX_RETRY_DELAY_MS = 5_000;

export async function listenOnPostgres(
  url: string,
  channel: string,
  onMessage: (payload: string) => void,
  onConnection?: (up: boolean) => void,
): Promise<() => Promise<void>> {
  let stopped = false;
  let client: pg.Client | null = null;
  let retryDelay = 100;
  let retryTimer: NodeJS.Timeout | null = null;

  const quoted = `"${channel.replace(/"/g, '""')}"`;

  const scheduleReconnect = () => {
    if (stopped || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void connect();
    }, retryDelay);
    retryTimer.unref?.();
    retryDelay = Math.min(retryDelay * 2, MAX_RETRY_DELAY_MS);
  };

  const lost = (lostClient: pg.Client) => {
    if (client !== lostClient) return;
    client = null;
    lostClient.removeAllListeners();
    lostClient.on("error", () => undefined);
    lostClient.end().catch(() => undefined);
    if (stopped) return;
    onConnection?.(false);
    scheduleReconnect();
  };

  async function connect(): Promise<void> {
    const next = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000, keepAlive: true });
    next.on("notification", (message) => {
      if (message.channel === channel) onMessage(message.payload ?? "");
    });
    next.on("error", () => lost(next));
    next.on("end", () => lost(next));
    client = next;
    try {
      await next.connect();
      await next.query(`LISTEN ${quoted}`);
      if (stopped) {
        await next.end().catch(() => undefined);
        return;
      }
      retryDelay = 100;
      onConnection?.(true);
    } catch {
      lost(next);
    }
  }

  await connect();
  return async () => {
    stopped = true;
    if (retryTimer) clearTimeout(retryTimer);
    const current = client;
    client = null;
    if (current) {
      current.removeAllListeners();
      current.on("error", () => undefined);
      await current.end().catch(() => undefined);
    }
  };
}
