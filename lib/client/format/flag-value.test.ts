import { describe, expect, it } from "vitest";
import { describeFlagValue, kindOf, parseTypedValue, valueToText } from "@/lib/client/format/flag-value";

describe("flag value editing", () => {
  it("keeps falsy values as values of their own type", () => {
    expect(kindOf(0)).toBe("number");
    expect(kindOf(false)).toBe("boolean");
    expect(kindOf("")).toBe("string");
    expect(kindOf(null)).toBe("none");
    expect(valueToText(false)).toBe("false");
    expect(valueToText(null)).toBe("");
  });

  it("parses text back into the chosen type", () => {
    expect(parseTypedValue("number", " 42 ")).toEqual({ ok: true, value: 42 });
    expect(parseTypedValue("number", "-7")).toEqual({ ok: true, value: -7 });
    expect(parseTypedValue("boolean", "false")).toEqual({ ok: true, value: false });
    expect(parseTypedValue("string", "")).toEqual({ ok: true, value: "" });
    expect(parseTypedValue("none", "ignored")).toEqual({ ok: true, value: null });
  });

  it("refuses what the server would refuse", () => {
    expect(parseTypedValue("number", "1.5")).toMatchObject({ ok: false, error: "Enter a whole number" });
    expect(parseTypedValue("number", "abc")).toMatchObject({ ok: false });
    expect(parseTypedValue("number", "99999999999")).toMatchObject({ ok: false });
    expect(parseTypedValue("boolean", "yes")).toMatchObject({ ok: false });
    expect(parseTypedValue("string", "x".repeat(20_001))).toMatchObject({ ok: false });
  });

  it("describes values the way summaries do", () => {
    expect(describeFlagValue("beta")).toBe('"beta"');
    expect(describeFlagValue(0)).toBe("0");
    expect(describeFlagValue(null)).toBe("no value");
  });
});
