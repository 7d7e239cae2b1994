import { describe, expect, it } from "vitest";
import type { FlagResult } from "@/lib/engine";
import { FragmentCache } from "@/lib/serving/snapshot";

const flag = (overrides: Partial<FlagResult>): FlagResult => ({
  name: "banner",
  enabled: true,
  value: "blue",
  reason: "DEFAULT",
  variant: null,
  ...overrides,
});

describe("FragmentCache", () => {
  it("answers exactly what serializing each flag answers, whatever was cached before", () => {
    const serialize = (name: string, result: FlagResult) => ({
      name,
      enabled: result.enabled,
      value: result.value,
      reason: result.reason,
      variant: result.variant,
    });
    const cache = new FragmentCache(true, serialize);
    const answers = [
      flag({}),
      flag({ enabled: false }),
      flag({ value: 1 }),
      flag({ value: "1" }),
      flag({ value: null }),
      flag({ reason: "TARGETING_MATCH; segment=beta" }),
      flag({ reason: "SPLIT; weight=50", variant: "a" }),
      flag({ reason: "SPLIT; weight=50", variant: "b" }),
      flag({}),
    ];
    for (let round = 0; round < 2; round++)
      for (const answer of answers)
        expect(cache.json("banner", answer)).toBe(JSON.stringify(serialize("banner", answer)));
    expect(cache.jsonArray({ a: flag({ name: "a" }), b: flag({ name: "b", value: 2 }) })).toBe(
      JSON.stringify([serialize("a", flag({ name: "a" })), serialize("b", flag({ name: "b", value: 2 }))]),
    );
  });

  it("ignores reason and variant when the serialization does not read them", () => {
    const cache = new FragmentCache(false, (name, result) => ({ name, value: result.value }));
    expect(cache.json("banner", flag({}))).toBe('{"name":"banner","value":"blue"}');
    expect(cache.json("banner", flag({ reason: "TARGETING_MATCH; segment=x" }))).toBe(
      '{"name":"banner","value":"blue"}',
    );
    expect(cache.json("banner", flag({ value: "red" }))).toBe('{"name":"banner","value":"red"}');
  });
});
