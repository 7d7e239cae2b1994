import { describe, expect, it } from "vitest";
import { isHexColor, readableTextColor } from "@/lib/client/format/color";

describe("readableTextColor", () => {
  it("puts dark text on light colours and white text on dark ones", () => {
    expect(readableTextColor("#ffffff")).toBe("#18181b");
    expect(readableTextColor("#f59e0b")).toBe("#18181b");
    expect(readableTextColor("#1e3a8a")).toBe("#ffffff");
    expect(readableTextColor("#6837fc")).toBe("#ffffff");
  });

  it("falls back to dark text for malformed colours", () => {
    expect(readableTextColor("purple")).toBe("#18181b");
    expect(isHexColor("#12345")).toBe(false);
    expect(isHexColor("#A1b2C3")).toBe(true);
  });
});
