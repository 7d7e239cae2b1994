import "server-only";
import { subscribeToAudit, type AuditEntityType } from "@/lib/audit/record-audit";
import type { Database } from "@/lib/db/open-database";
import type { TraitValueType } from "@/lib/generated/prisma/client";
import { perDatabase } from "@/lib/db/per-database";

// The stored traits of the identities SDKs ask for, kept in memory — on the embedded database only.
// Reading them was one query per identity request, costlier than evaluating every flag; the
// embedded database is opened by one process (its data directory is locked), so every write goes
// through this process and can be followed:
//   - the SDK trait writer forgets the identities it wrote once its transaction has committed;
//   - any other change (the admin API's trait and identity edits, deleted environments and
//     projects) is audited, and every audited change but those that cannot reach an identity's
//     traits (features, segments, tags, keys, members, integrations) forgets everything.
// A read that overlapped either keeps its answer to itself, so what is cached was read after the
// last write. PGlite runs every query outside a transaction only between transactions, so such a
// read never sees a change before it commits. On PostgreSQL several instances write the same
// tables: nothing is cached there.

export interface StoredIdentity {
  lastSeenAt: number | null;
  traits: ReadonlyArray<{ key: string; valueType: TraitValueType; value: string }>;
}

const MAX_CACHED_IDENTITIES = 10_000;

/**
 * Audited changes that leave every identity and its traits as they were: a burst of webhook tag
 * changes or flag toggles keeps the cache. Anything else (a type added later too) forgets it.
 */
const LEAVES_IDENTITIES = new Set<AuditEntityType>([
  "feature",
  "feature_state",
  "segment_override",
  "identity_override",
  "multivariate_option",
  "feature_external_resource",
  "feature_tags",
  "release_rule",
  "segment",
  "tag",
  "project_member",
  "gitlab_integration",
  "api_key",
  "server_key",
  "user",
]);

const epochSlot = globalThis as unknown as { __flagpostStoredIdentitiesEpoch?: number };
const currentEpoch = () => epochSlot.__flagpostStoredIdentitiesEpoch ?? 0;

/** Forgets every cached identity of every database (an audited change may have touched them). */
export function forgetStoredIdentities(): void {
  epochSlot.__flagpostStoredIdentitiesEpoch = currentEpoch() + 1;
}

export const identityKey = (environmentId: number, identifier: string) =>
  `${environmentId}\u0000${identifier}`;

export class StoredIdentityCache {
  private entries = new Map<string, { epoch: number; identity: StoredIdentity | null }>();
  /** Bumped by each committed write of the trait writer. */
  private writes = 0;

  /** The identity's stored traits (null: not stored), from memory or from `load`. */
  async read(key: string, load: () => Promise<StoredIdentity | null>): Promise<StoredIdentity | null> {
    const epoch = currentEpoch();
    const cached = this.entries.get(key);
    if (cached && cached.epoch === epoch) return cached.identity;
    const writes = this.writes;
    const identity = await load();
    // A write committed meanwhile: this answer may predate it.
    if (currentEpoch() === epoch && this.writes === writes) {
      if (!cached && this.entries.size >= MAX_CACHED_IDENTITIES)
        this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, { epoch, identity });
    }
    return identity;
  }

  /** After a write to these identities committed (or failed: it may have committed). */
  forget(keys: Iterable<string>): void {
    this.writes += 1;
    for (const key of keys) this.entries.delete(key);
  }
}

/**
 * The database's cache, or null where other processes may write (PostgreSQL). Creating one
 * subscribes to the audit trail: an audited change that may touch identities forgets the cached
 * ones (such changes are rare next to SDK reads).
 */
export const storedIdentityCache = perDatabase("storedIdentityCache", (db: Database) => {
  if (db.kind === "postgres") return null;
  subscribeToAudit("serving-stored-identities", async (_db, entry) => {
    if (!LEAVES_IDENTITIES.has(entry.entityType)) forgetStoredIdentities();
  });
  return new StoredIdentityCache();
});
