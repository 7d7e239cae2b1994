import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@/lib/env";

describe("configuration", () => {
  it("defaults to the embedded database, port 3000 and a localhost public URL", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.PORT).toBe(3000);
    expect(env.FLAGPOST_PUBLIC_URL).toBe("http://localhost:3000");
    expect(env.dataDir).toBe(path.resolve(".data"));
    expect(env.GITLAB_ALLOW_PRIVATE_NETWORK).toBe(false);
    expect(env.FLAGPOST_WORKER).toBe(true);
    expect(env.FLAGPOST_JOB_DEBOUNCE_MS).toBe(2000);
  });

  it("reads the operator settings", () => {
    const env = parseEnv({
      DATABASE_URL: "postgres://u:p@db:5432/flagpost",
      FLAGPOST_PUBLIC_URL: "https://flags.example.com/",
      GITLAB_ALLOW_PRIVATE_NETWORK: "true",
      PORT: "8080",
    });
    expect(env.DATABASE_URL).toBe("postgres://u:p@db:5432/flagpost");
    expect(env.FLAGPOST_PUBLIC_URL).toBe("https://flags.example.com");
    expect(env.GITLAB_ALLOW_PRIVATE_NETWORK).toBe(true);
    expect(env.PORT).toBe(8080);
  });

  it("explains every bad value in one message", () => {
    let error: unknown;
    try {
      parseEnv({
        DATABASE_URL: "mysql://x",
        PORT: "eighty",
        FLAGPOST_SECRET_KEY: "short",
        GITLAB_ALLOW_PRIVATE_NETWORK: "maybe",
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EnvError);
    const problems = (error as EnvError).problems.join("\n");
    expect(problems).toMatch(/DATABASE_URL: must start with postgres:\/\//);
    expect(problems).toMatch(/PORT: must be a whole number/);
    expect(problems).toMatch(/FLAGPOST_SECRET_KEY: must be at least 32 characters/);
    expect(problems).toMatch(/GITLAB_ALLOW_PRIVATE_NETWORK/);
  });
});
