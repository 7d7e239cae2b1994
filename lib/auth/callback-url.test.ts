import { describe, expect, it } from "vitest";
import { DEFAULT_AFTER_SIGN_IN, safeCallbackPath, withCallback } from "@/lib/auth/callback-url";

describe("safeCallbackPath", () => {
  it.each([
    "/projects/1/environments/abc/features/2?tab=links",
    "/projects/1/stale-flags",
    "/organisation/settings#users",
  ])("keeps a path of this site: %s", (path) => {
    expect(safeCallbackPath(path)).toBe(path);
  });

  it.each([
    ["nothing", undefined],
    ["empty", ""],
    ["protocol-relative", "//evil.example/x"],
    ["absolute", "https://evil.example/projects"],
    ["scheme without slashes", "javascript:alert(1)"],
    ["backslash", "/\\evil.example"],
    ["backslash later", "/projects\\..\\\\evil.example"],
    ["tab hiding a second slash", "/\t/evil.example"],
    ["newline", "/projects\n/x"],
    ["relative", "projects"],
    ["sign-in page", "/login?callbackUrl=/projects/1"],
    ["setup page", "/setup"],
    ["very long", `/${"a".repeat(3000)}`],
  ])("refuses %s", (_name, path) => {
    expect(safeCallbackPath(path)).toBe(DEFAULT_AFTER_SIGN_IN);
  });

  it("takes the first of repeated parameters", () => {
    expect(safeCallbackPath(["/projects/2", "//evil"])).toBe("/projects/2");
  });

  it("normalises dot segments without leaving the site", () => {
    expect(safeCallbackPath("/projects/../../x")).toBe("/x");
  });
});

describe("withCallback", () => {
  it("carries the page asked for, encoded", () => {
    expect(withCallback("/login", "/projects/1/environments/k/features/3?tab=links")).toBe(
      "/login?callbackUrl=%2Fprojects%2F1%2Fenvironments%2Fk%2Ffeatures%2F3%3Ftab%3Dlinks",
    );
  });

  it("leaves out the default and anything unsafe", () => {
    expect(withCallback("/setup", "/projects")).toBe("/setup");
    expect(withCallback("/login", "//evil.example")).toBe("/login");
    expect(withCallback("/login", null)).toBe("/login");
  });
});
