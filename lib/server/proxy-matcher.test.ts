import { unstable_doesMiddlewareMatch } from "next/experimental/testing/server";
import { describe, expect, it } from "vitest";
import { config } from "@/proxy";

// The proxy (proxy.ts) only serves pages. Every request it matches pays for it, and a POST's body
// is buffered for it, so the APIs that applications and GitLab call must stay out of its matcher.
const matches = (url: string) => unstable_doesMiddlewareMatch({ config, url });

describe("proxy matcher", () => {
  it("runs for pages", () => {
    for (const url of ["/", "/projects/1/features?page=2", "/signin", "/setup"])
      expect(matches(url)).toBe(true);
  });

  it("skips the APIs, the OFREP endpoints and static files", () => {
    for (const url of [
      "/api/health",
      "/api/v1/flags/",
      "/api/v1/gitlab-webhook/1/",
      "/ofrep/v1/evaluate/flags",
      "/ofrep/v1/evaluate/flags/new-checkout",
      "/_next/static/chunks/main.js",
      "/favicon.ico",
      "/logo.svg",
    ])
      expect(matches(url), url).toBe(false);
  });
});
