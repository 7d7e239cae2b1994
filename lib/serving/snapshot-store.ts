import "server-only";
import { hashApiKey } from "@/lib/auth/api-keys";
import { currentDatabase } from "@/lib/db/client";
import type { Database } from "@/lib/db/open-database";
import { perDatabase } from "@/lib/db/per-database";
import { SERVER_KEY_PREFIX } from "@/lib/flags/server-keys";
import { logger } from "@/lib/logger";
import { buildSnapshot, type EnvironmentSnapshot } from "@/lib/serving/snapshot";

// The per-process cache of environment snapshots, one store per open database. Nothing here
// queries the database on the hot path: keys are resolved from an in-memory index, snapshots are
// kept until something that affects evaluation changes.
//
// Invalidation: every audited change to a project's flags, segments, overrides, environments or
// keys sends NOTIFY flagpost_serving '<project id>:<entity type>' in its own transaction (the
// audit subscriber in ./invalidation.ts), which PostgreSQL delivers to every instance LISTENing,
// and PGlite to this process, after the commit. If the LISTEN connection is lost, changes may be
// missed: until it is back, each request checks (at most once a second) the newest audit entry id,
// and everything is dropped when it moved; on reconnection the same check runs once.

export const SERVING_CHANNEL = "flagpost_serving";
const VERSION_CHECK_INTERVAL_MS = 1_000;

interface EnvironmentRef {
  id: number;
  projectId: number;
}

interface KeyIndex {
  clientKeys: Map<string, EnvironmentRef>;
  /** SHA-256 of a live server-side key → its environment. */
  serverKeys: Map<string, EnvironmentRef & { keyId: number }>;
}

/** Entity types whose changes can alter which keys exist (the index is rebuilt). */
const KEY_ENTITY_TYPES = new Set(["environment", "project", "server_key"]);

const KEY_MISS_RELOAD_INTERVAL_MS = 1_000;

export class SnapshotStore {
  private snapshots = new Map<number, { projectId: number; snapshot: Promise<EnvironmentSnapshot> }>();
  private keyIndex: Promise<KeyIndex> | null = null;
  private keyIndexMissReloadAt = 0;
  private ready: Promise<void>;
  private listening = false;
  private knownVersion: bigint | null = null;
  private lastVersionCheck = 0;
  private versionCheck: Promise<void> | null = null;
  private stopListening: (() => Promise<void>) | null = null;
  /** Called after each invalidation (tests wait on it). */
  onInvalidate: ((projectId: number | null) => void) | null = null;

  constructor(readonly db: Database) {
    this.ready = this.start();
  }

  private async start() {
    try {
      // LISTEN first, then read the version (in the connection callback): a change committed
      // in between is caught by one or the other.
      this.stopListening = await this.db.listen(
        SERVING_CHANNEL,
        (payload) => this.handleNotification(payload),
        (up) => {
          this.listening = up;
          // (Re)connected: whatever changed while nobody listened was not announced.
          if (up) void this.checkVersion(true);
        },
      );
    } catch (error) {
      logger.warn("Serving: LISTEN failed; falling back to version checks", { error });
      this.listening = false;
    }
  }

  private async readVersion(): Promise<bigint> {
    const [row] = await this.db.sql.query<{ version: string | null }>(
      "SELECT max(id)::text AS version FROM audit_logs",
    );
    return BigInt(row?.version ?? "0");
  }

  /** Degraded mode (no LISTEN): drops everything when the audit log moved since the last check. */
  private checkVersion(force = false): Promise<void> {
    if (!force && Date.now() - this.lastVersionCheck < VERSION_CHECK_INTERVAL_MS) return Promise.resolve();
    this.versionCheck ??= (async () => {
      try {
        const version = await this.readVersion();
        this.lastVersionCheck = Date.now();
        if (this.knownVersion === null || version !== this.knownVersion) this.invalidate(null, "version");
        this.knownVersion = version;
      } catch (error) {
        logger.warn("Serving: version check failed", { error });
      } finally {
        this.versionCheck = null;
      }
    })();
    return this.versionCheck;
  }

  private handleNotification(payload: string) {
    const [project, entityType = ""] = payload.split(":");
    const projectId = Number(project);
    this.invalidate(Number.isInteger(projectId) && projectId > 0 ? projectId : null, entityType);
  }

  /** Drops the snapshots of a project (all when null) and, for key changes, the key index. */
  invalidate(projectId: number | null, entityType: string) {
    for (const [environmentId, entry] of this.snapshots) {
      if (projectId === null || entry.projectId === projectId) this.snapshots.delete(environmentId);
    }
    if (projectId === null || KEY_ENTITY_TYPES.has(entityType)) this.keyIndex = null;
    this.onInvalidate?.(projectId);
  }

  private async fresh() {
    await this.ready;
    if (!this.listening) await this.checkVersion();
  }

  private loadKeyIndex(): Promise<KeyIndex> {
    if (this.keyIndex) return this.keyIndex;
    // An invalidation while this loads drops it from `keyIndex`; the next request loads again.
    const loading = (async () => {
      const [environments, serverKeys] = await Promise.all([
        this.db.prisma.environment.findMany({ select: { id: true, apiKey: true, projectId: true } }),
        this.db.prisma.serverKey.findMany({
          where: { revokedAt: null },
          select: { id: true, keyHash: true, environment: { select: { id: true, projectId: true } } },
        }),
      ]);
      return {
        clientKeys: new Map(
          environments.map((env) => [env.apiKey, { id: env.id, projectId: env.projectId }]),
        ),
        serverKeys: new Map(
          serverKeys.map((key) => [
            key.keyHash,
            { id: key.environment.id, projectId: key.environment.projectId, keyId: key.id },
          ]),
        ),
      };
    })();
    this.keyIndex = loading;
    loading.catch(() => {
      if (this.keyIndex === loading) this.keyIndex = null;
    });
    return loading;
  }

  /**
   * The environment an SDK key reads: an environment's client-side key (its api_key) or a live
   * server-side key (`ser.…`). Null for anything else.
   */
  async resolveKey(key: string): Promise<(EnvironmentRef & { serverSide: boolean; keyId?: number }) | null> {
    if (!key || key.length > 200) return null;
    await this.fresh();
    const found = this.findKey(await this.loadKeyIndex(), key);
    if (found || Date.now() - this.keyIndexMissReloadAt < KEY_MISS_RELOAD_INTERVAL_MS) return found;
    // A key created a moment ago may be ahead of its NOTIFY (PostgreSQL delivers it after the
    // commit, asynchronously): reload the index once, at most once a second whatever the misses.
    this.keyIndexMissReloadAt = Date.now();
    this.keyIndex = null;
    return this.findKey(await this.loadKeyIndex(), key);
  }

  private findKey(index: KeyIndex, key: string) {
    if (key.startsWith(SERVER_KEY_PREFIX)) {
      // Looked up by SHA-256, like organisation API keys: the key itself is never compared.
      const found = index.serverKeys.get(hashApiKey(key));
      return found ? { ...found, serverSide: true } : null;
    }
    const found = index.clientKeys.get(key);
    return found ? { ...found, serverSide: false } : null;
  }

  /** The environment's current snapshot, built on first use after each change. */
  async snapshot(environment: EnvironmentRef): Promise<EnvironmentSnapshot> {
    await this.fresh();
    const cached = this.snapshots.get(environment.id);
    if (cached) return cached.snapshot;
    // Kept while it builds, so concurrent requests share one build; an invalidation meanwhile
    // removes it (this request is answered with what it read, the next one builds again).
    const building = buildSnapshot(this.db.prisma, environment.id);
    const entry = { projectId: environment.projectId, snapshot: building };
    this.snapshots.set(environment.id, entry);
    building.catch(() => {
      if (this.snapshots.get(environment.id) === entry) this.snapshots.delete(environment.id);
    });
    return building;
  }

  async close() {
    await this.ready;
    await this.stopListening?.();
  }
}

const storeOf = perDatabase("snapshotStore", (db) => new SnapshotStore(db));

/** The store of a database (the process database by default). */
export function snapshotStore(db: Database = currentDatabase()): SnapshotStore {
  return storeOf(db);
}
