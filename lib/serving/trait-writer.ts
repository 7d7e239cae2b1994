import "server-only";
import type { Database } from "@/lib/db/open-database";
import { toStoredTrait } from "@/lib/flags/identities";
import { perDatabase } from "@/lib/db/per-database";
import { CoalescingBuffer } from "@/lib/serving/coalescing-buffer";
import { identityKey, storedIdentityCache } from "@/lib/serving/stored-identities";
import { MAX_TRAITS_PER_IDENTITY, type TraitValue } from "@/lib/validations/evaluation";

// Identities and traits sent by SDKs are written in the background (CoalescingBuffer): each request
// records what it changed here and is answered at once; every second (or when many identities are
// waiting) they are written. Changes to one identity merge (the last value of a trait wins), so a
// busy identity costs one write a second whatever its request rate. Requests read their
// identity's unwritten changes on top of the stored traits.

const FLUSH_INTERVAL_MS = 1_000;
// Identities per transaction: the embedded database runs queries on the event loop's thread, so a
// long transaction would stall every request meanwhile; small ones let requests in between.
const IDENTITIES_PER_TRANSACTION = 50;
const MAX_PENDING_IDENTITIES = 5_000;

interface PendingIdentity {
  environmentId: number;
  identifier: string;
  /** Trait key → new value, or null to delete it. */
  traits: Map<string, TraitValue | null>;
}

class TraitWriter {
  private readonly buffer: CoalescingBuffer<PendingIdentity>;

  constructor(private readonly db: Database) {
    this.buffer = new CoalescingBuffer({
      what: "SDK traits",
      intervalMs: FLUSH_INTERVAL_MS,
      maxKeys: MAX_PENDING_IDENTITIES,
      write: (batch) => this.write(batch),
    });
  }

  /** Records an identity (created if new) and its trait changes, to be written within a second. */
  enqueue(environmentId: number, identifier: string, traits: Iterable<[string, TraitValue | null]>) {
    this.buffer.add(
      identityKey(environmentId, identifier),
      () => ({ environmentId, identifier, traits: new Map() }),
      (entry) => {
        for (const [traitKey, value] of traits) entry.traits.set(traitKey, value);
      },
    );
  }

  /** Writes everything pending (tests and shutdown call it directly). */
  flush(): Promise<void> {
    return this.buffer.flush();
  }

  /** Changes not yet committed, including those being written right now (newest last). */
  unwritten(environmentId: number, identifier: string): Map<string, TraitValue | null> | undefined {
    const entries = this.buffer.unwritten(identityKey(environmentId, identifier));
    if (entries.length === 0) return undefined;
    return new Map(entries.flatMap((entry) => [...entry.traits]));
  }

  private async write(batch: PendingIdentity[]) {
    for (let start = 0; start < batch.length; start += IDENTITIES_PER_TRANSACTION) {
      if (start > 0) await new Promise((resolve) => setImmediate(resolve));
      await this.writeChunk(batch.slice(start, start + IDENTITIES_PER_TRANSACTION));
    }
  }

  private async writeChunk(batch: PendingIdentity[]) {
    try {
      await this.writeTransaction(batch);
    } finally {
      // Before the buffer drops these changes: requests then read what was written.
      storedIdentityCache(this.db)?.forget(
        batch.map((entry) => identityKey(entry.environmentId, entry.identifier)),
      );
    }
  }

  /** One chunk in one transaction, in a fixed number of statements whatever its size. */
  private async writeTransaction(batch: PendingIdentity[]) {
    await this.db.prisma.$transaction(async (tx) => {
      // Environments deleted since the requests were answered take their identities with them.
      const environmentIds = [...new Set(batch.map((entry) => entry.environmentId))];
      const live = new Set(
        (await tx.environment.findMany({ where: { id: { in: environmentIds } }, select: { id: true } })).map(
          (environment) => environment.id,
        ),
      );
      const entries = batch.filter((entry) => live.has(entry.environmentId));
      if (entries.length === 0) return;
      // The buffer holds one entry per identity, so no row is upserted twice in a statement.
      const identities = await tx.$queryRaw<{ id: number; environment_id: number; identifier: string }[]>`
        INSERT INTO identities (environment_id, identifier, last_seen_at)
        SELECT e, i, now()
        FROM unnest(${entries.map((entry) => entry.environmentId)}::int[], ${entries.map((entry) => entry.identifier)}::text[]) AS u(e, i)
        ON CONFLICT (environment_id, identifier) DO UPDATE SET last_seen_at = now()
        RETURNING id, environment_id, identifier`;
      const idOf = new Map(
        identities.map((row) => [identityKey(row.environment_id, row.identifier), row.id] as const),
      );
      const withIds = entries.flatMap((entry) => {
        const id = idOf.get(identityKey(entry.environmentId, entry.identifier));
        return id === undefined ? [] : [{ id, traits: [...entry.traits] }];
      });

      const deletedIds: number[] = [];
      const deletedKeys: string[] = [];
      for (const { id, traits } of withIds)
        for (const [key, value] of traits)
          if (value === null) {
            deletedIds.push(id);
            deletedKeys.push(key);
          }
      if (deletedIds.length > 0)
        await tx.$executeRaw`
          DELETE FROM traits t USING unnest(${deletedIds}::int[], ${deletedKeys}::text[]) AS d(id, k)
          WHERE t.identity_id = d.id AND t.key = d.k`;

      const setting = withIds.filter(({ traits }) => traits.some(([, value]) => value !== null));
      if (setting.length === 0) return;
      const existing = new Map<number, Set<string>>();
      for (const row of await tx.$queryRaw<{ identity_id: number; key: string }[]>`
        SELECT identity_id, key FROM traits WHERE identity_id = ANY(${setting.map(({ id }) => id)}::int[])`) {
        let keys = existing.get(row.identity_id);
        if (!keys) existing.set(row.identity_id, (keys = new Set()));
        keys.add(row.key);
      }
      const ids: number[] = [];
      const keys: string[] = [];
      const types: string[] = [];
      const values: string[] = [];
      for (const { id, traits } of setting) {
        const stored = existing.get(id);
        // New traits beyond the identity's limit are dropped, as the admin API refuses them.
        let room = MAX_TRAITS_PER_IDENTITY - (stored?.size ?? 0);
        for (const [key, value] of traits) {
          if (value === null) continue;
          if (!stored?.has(key)) {
            if (room <= 0) continue;
            room -= 1;
          }
          const typed = toStoredTrait(value);
          ids.push(id);
          keys.push(key);
          types.push(typed.valueType);
          values.push(typed.value);
        }
      }
      if (ids.length === 0) return;
      await tx.$executeRaw`
        INSERT INTO traits (identity_id, key, value_type, value, updated_at)
        SELECT i, k, t::"TraitValueType", v, now()
        FROM unnest(${ids}::int[], ${keys}::text[], ${types}::text[], ${values}::text[]) AS u(i, k, t, v)
        ON CONFLICT (identity_id, key)
        DO UPDATE SET value_type = EXCLUDED.value_type, value = EXCLUDED.value, updated_at = now()`;
    });
  }
}

export const traitWriter = perDatabase("traitWriter", (db) => new TraitWriter(db));
