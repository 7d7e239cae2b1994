import { describe, expect, it } from "vitest";
import { parseApiKeyRole, parseDuration } from "@/lib/auth/api-keys";

describe("API key CLI options", () => {
  it("reads --expires-in as a number and a unit", () => {
    expect(parseDuration("30d")).toBe(30 * 24 * 3600_000);
    expect(parseDuration("12h")).toBe(12 * 3600_000);
    expect(parseDuration(" 90m ")).toBe(90 * 60_000);
    expect(parseDuration("2W")).toBe(14 * 24 * 3600_000);
    for (const bad of ["", "30", "d", "0d", "-1d", "1.5h", "30 days", "1y"])
      expect(parseDuration(bad), bad).toBeNull();
  });

  it("reads --role in the spellings people type", () => {
    expect(parseApiKeyRole("read-only")).toBe("READ_ONLY");
    expect(parseApiKeyRole("READ_ONLY")).toBe("READ_ONLY");
    expect(parseApiKeyRole("Editor")).toBe("EDITOR");
    expect(parseApiKeyRole("admin")).toBe("ADMIN");
    expect(parseApiKeyRole("owner")).toBeNull();
    expect(parseApiKeyRole("")).toBeNull();
  });
});
