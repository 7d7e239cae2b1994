import { describe, expect, it } from "vitest";
import { redact } from "@/lib/logger";

describe("log redaction", () => {
  it("replaces values under secret-looking keys at any depth", () => {
    const out = redact({
      accessToken: "glpat-1",
      nested: { webhook_secret: "s", headers: { authorization: "Api-Key x", "PRIVATE-TOKEN": "t" } },
      list: [{ password: "p" }],
      project: 12,
    });
    expect(JSON.stringify(out)).not.toMatch(/glpat-1|"s"|Api-Key x|"t"|"p"/);
    expect(out).toMatchObject({ project: 12, nested: { headers: { authorization: "[redacted]" } } });
  });

  it("keeps only name and message of errors", () => {
    const out = redact({ error: new Error("boom") }) as { error: unknown };
    expect(out.error).toEqual({ name: "Error", message: "boom" });
  });
});
