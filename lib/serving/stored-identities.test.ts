import { describe, expect, it } from "vitest";
import {
  forgetStoredIdentities,
  StoredIdentityCache,
  type StoredIdentity,
} from "@/lib/serving/stored-identities";

const pro: StoredIdentity = { lastSeenAt: 1, traits: [{ key: "plan", valueType: "STRING", value: "pro" }] };
const free: StoredIdentity = { lastSeenAt: 2, traits: [{ key: "plan", valueType: "STRING", value: "free" }] };

const notInMemory = () => Promise.reject(new Error("not in memory"));

/** A load the test finishes by hand, to overlap it with writes. */
function pendingLoad() {
  let finish!: (value: StoredIdentity | null) => void;
  const promise = new Promise<StoredIdentity | null>((resolve) => (finish = resolve));
  return { load: () => promise, finish };
}

describe("StoredIdentityCache", () => {
  it("keeps what a read loaded, not stored included, until the identity is written", async () => {
    const cache = new StoredIdentityCache();
    expect(await cache.read("a", async () => pro)).toBe(pro);
    expect(await cache.read("a", notInMemory)).toBe(pro);
    expect(await cache.read("b", async () => null)).toBeNull();
    expect(await cache.read("b", notInMemory)).toBeNull();

    cache.forget(["a"]);
    expect(await cache.read("a", async () => free)).toBe(free);
    expect(await cache.read("b", notInMemory)).toBeNull();
  });

  it("keeps nothing that a write or an audited change overlapped", async () => {
    const cache = new StoredIdentityCache();
    const beforeWrite = pendingLoad();
    const first = cache.read("a", beforeWrite.load);
    cache.forget(["other"]);
    beforeWrite.finish(pro);
    expect(await first).toBe(pro);
    await expect(cache.read("a", notInMemory)).rejects.toThrow("not in memory");

    const beforeChange = pendingLoad();
    const second = cache.read("a", beforeChange.load);
    forgetStoredIdentities();
    beforeChange.finish(pro);
    expect(await second).toBe(pro);
    await expect(cache.read("a", notInMemory)).rejects.toThrow("not in memory");
  });

  it("forgets everything after an audited change", async () => {
    const cache = new StoredIdentityCache();
    await cache.read("a", async () => pro);
    await cache.read("b", async () => free);
    forgetStoredIdentities();
    await expect(cache.read("a", notInMemory)).rejects.toThrow("not in memory");
    await expect(cache.read("b", notInMemory)).rejects.toThrow("not in memory");
  });
});
