import { describe, expect, it } from "vitest";
import { describeValue, fromStoredValue, sameStoredValue, toStoredValue } from "@/lib/flags/flag-values";
import type { FlagValue } from "@/lib/validations/common";

describe("flag values", () => {
  it.each<[FlagValue, string, string | null]>([
    ["beta", "STRING", "beta"],
    ["", "STRING", ""],
    ["42", "STRING", "42"],
    ["true", "STRING", "true"],
    [0, "INTEGER", "0"],
    [-17, "INTEGER", "-17"],
    [2_147_483_647, "INTEGER", "2147483647"],
    [false, "BOOLEAN", "false"],
    [true, "BOOLEAN", "true"],
    [null, "STRING", null],
  ])("stores %j as %s %j and reads it back with its JSON type", (value, valueType, text) => {
    const stored = toStoredValue(value);
    expect(stored).toEqual({ valueType, value: text });
    expect(fromStoredValue(stored.valueType, stored.value)).toStrictEqual(value);
  });

  it("reads unexpected integer text as text instead of NaN", () => {
    expect(fromStoredValue("INTEGER", "12abc")).toBe("12abc");
    expect(fromStoredValue("INTEGER", "")).toBe("");
  });

  it("treats values of different JSON types as different, and all blanks as equal", () => {
    expect(sameStoredValue(toStoredValue("1"), toStoredValue(1))).toBe(false);
    expect(sameStoredValue(toStoredValue(false), toStoredValue("false"))).toBe(false);
    expect(sameStoredValue(toStoredValue(7), toStoredValue(7))).toBe(true);
    expect(sameStoredValue({ valueType: "INTEGER", value: null }, toStoredValue(null))).toBe(true);
  });

  it("describes values for audit summaries", () => {
    expect(describeValue("a")).toBe('"a"');
    expect(describeValue(0)).toBe("0");
    expect(describeValue(false)).toBe("false");
    expect(describeValue(null)).toBe("no value");
  });
});
