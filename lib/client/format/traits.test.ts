import { describe, expect, it } from "vitest";
import { parseTypedTrait, traitTypeOf } from "@/lib/client/format/traits";

describe("parseTypedTrait", () => {
  it("keeps the chosen type", () => {
    expect(parseTypedTrait("number", "42")).toEqual({ ok: true, value: 42 });
    expect(parseTypedTrait("string", "42")).toEqual({ ok: true, value: "42" });
    expect(parseTypedTrait("boolean", "false")).toEqual({ ok: true, value: false });
    expect(traitTypeOf(1.5)).toBe("number");
    expect(traitTypeOf(true)).toBe("boolean");
  });

  it("refuses what the server would refuse", () => {
    expect(parseTypedTrait("number", "many")).toEqual({ ok: false, error: "Enter a number" });
    expect(parseTypedTrait("boolean", "yes").ok).toBe(false);
    expect(parseTypedTrait("string", "é".repeat(1025))).toEqual({
      ok: false,
      error: "Trait values must be at most 2048 bytes",
    });
  });
});
