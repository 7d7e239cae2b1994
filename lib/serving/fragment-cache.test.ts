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

  it("lays changes over a base result exactly as serializing the combined result would", () => {
    const serialize = (name: string, result: FlagResult) => ({
      name,
      enabled: result.enabled,
      value: result.value,
    });
    const cache = new FragmentCache(false, serialize);
    const base = {
      a: flag({ name: "a" }),
      b: flag({ name: "b", enabled: false }),
      "10": flag({ name: "10", value: 3 }),
      c: flag({ name: "c", enabled: false, value: null }),
    };
    const cases: Array<Map<string, FlagResult>> = [
      new Map(),
      new Map([["b", flag({ name: "b", value: "on" })]]),
      new Map([
        ["a", flag({ name: "a", enabled: false })],
        ["c", flag({ name: "c", value: "x" })],
      ]),
      new Map([["new", flag({ name: "new" })]]),
    ];
    for (let round = 0; round < 2; round++)
      for (const changes of cases)
        for (const onlyEnabled of [false, true]) {
          const combined = { ...base, ...Object.fromEntries(changes) };
          const expected = Object.entries(combined)
            .filter(([, result]) => !onlyEnabled || result.enabled)
            .map(([name, result]) => serialize(name, result));
          expect(cache.jsonArrayWith(base, changes, { onlyEnabled })).toBe(JSON.stringify(expected));
        }
  });

  it("memoizes whole answers by the flags they contain", () => {
    const serialize = (name: string, result: FlagResult) => ({
      name,
      enabled: result.enabled,
      value: result.value,
    });
    const cache = new FragmentCache(false, serialize);
    const base = { a: flag({ name: "a" }), b: flag({ name: "b", enabled: false }) };
    let builds = 0;
    const answer = (changes: Map<string, FlagResult>, onlyEnabled = false) =>
      cache.answerWith(base, changes, { onlyEnabled }, (json) => {
        builds += 1;
        return json;
      });
    const on = new Map([["b", flag({ name: "b", value: "on" })]]);
    const red = new Map([["b", flag({ name: "b", value: "red" })]]);
    for (const [changes, onlyEnabled] of [
      [on, false],
      [red, false],
      [on, true],
      [new Map(), true],
      [new Map(), false],
    ] as const) {
      const expected = cache.jsonArrayWith(base, changes, { onlyEnabled });
      expect(answer(changes, onlyEnabled)).toBe(expected);
      expect(answer(new Map(changes), onlyEnabled)).toBe(expected);
    }
    expect(builds).toBe(5);
  });
});
