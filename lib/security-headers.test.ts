import { afterEach, describe, expect, it } from "vitest";
import type { NextConfig } from "next";

// next.config.mjs has no type declarations; load it as Next.js does and type it as its config.
const configModule = "../next.config.mjs";
const loadConfig = async () =>
  ((await import(/* @vite-ignore */ configModule)) as { default: NextConfig }).default;

// Pages must not be framed (clickjacking) nor sniffed; HSTS only for an https deployment.
describe("security headers of every response", () => {
  const saved = process.env.FLAGPOST_PUBLIC_URL;
  afterEach(() => {
    if (saved === undefined) delete process.env.FLAGPOST_PUBLIC_URL;
    else process.env.FLAGPOST_PUBLIC_URL = saved;
  });

  async function headersFor(publicUrl: string | undefined) {
    if (publicUrl === undefined) delete process.env.FLAGPOST_PUBLIC_URL;
    else process.env.FLAGPOST_PUBLIC_URL = publicUrl;
    const rules = await (await loadConfig()).headers!();
    expect(rules).toHaveLength(1);
    expect(rules[0]!.source).toBe("/:path*");
    return Object.fromEntries(rules[0]!.headers.map(({ key, value }) => [key, value]));
  }

  it("forbid framing, sniffing and leaking full referrers", async () => {
    const headers = await headersFor("http://localhost:3000");
    expect(headers["Content-Security-Policy"]).toContain("frame-ancestors 'none'");
    expect(headers["Content-Security-Policy"]).toContain("object-src 'none'");
    expect(headers["X-Frame-Options"]).toBe("DENY");
    expect(headers["X-Content-Type-Options"]).toBe("nosniff");
    expect(headers["Referrer-Policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["Strict-Transport-Security"]).toBeUndefined();
  });

  it("add HSTS when the public URL is https, read when the configuration is loaded", async () => {
    expect((await headersFor("https://flags.example.com"))["Strict-Transport-Security"]).toMatch(
      /^max-age=\d{7,}/,
    );
    expect((await headersFor(undefined))["Strict-Transport-Security"]).toBeUndefined();
  });
});
