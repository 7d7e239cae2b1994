import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable, isRetryableConflict } from "@/lib/db/database-errors";

const withCode = (code: string, message = "failed") => Object.assign(new Error(message), { code });

describe("database errors", () => {
  it("recognises an unreachable or overloaded database, from Prisma, the socket or PostgreSQL", () => {
    for (const error of [
      withCode("P1001"),
      withCode("P2024"),
      withCode("ECONNREFUSED"),
      withCode("57P01"),
      withCode("08006"),
      Object.assign(new Error("driver adapter error"), { code: "P2010", meta: { code: "53300" } }),
      new Error("timeout exceeded when trying to connect"),
    ])
      expect(isDatabaseUnavailable(error), String((error as { code?: string }).code)).toBe(true);
  });

  it("does not take a bad request or a constraint violation for an outage", () => {
    for (const error of [withCode("23505"), withCode("22P02"), withCode("P2002"), new Error("boom"), null])
      expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it("recognises deadlocks and serialization failures, in the code or the message", () => {
    expect(isRetryableConflict(withCode("40P01"))).toBe(true);
    expect(isRetryableConflict({ meta: { code: "40001" } })).toBe(true);
    expect(isRetryableConflict(new Error("deadlock detected"))).toBe(true);
    expect(isRetryableConflict(withCode("23505"))).toBe(false);
    expect(isRetryableConflict(withCode("P1001"))).toBe(false);
  });
});
