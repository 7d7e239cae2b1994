import "server-only";
import { z } from "zod";
import { ApiError, zodIssues } from "@/lib/api/errors";
import { env } from "@/lib/env";

// The time Flagpost's own rules read (stale flags, archiving). Production reads the system clock;
// with FLAGPOST_TEST_CLOCK=true an end-to-end test may move this process's clock forward
// (POST /api/internal/test-clock) so "fourteen days later" needs no sleep. Timestamps the database
// writes itself (`now()` defaults) are not moved.

export const DAY_MS = 24 * 60 * 60 * 1000;

// On globalThis: Next.js may load this module once per route bundle, and every copy must agree.
const state = globalThis as unknown as { __flagpostClockOffsetMs?: number };

export function now(): Date {
  return new Date(Date.now() + (state.__flagpostClockOffsetMs ?? 0));
}

function testClockEnabled(): boolean {
  return env().FLAGPOST_TEST_CLOCK;
}

export interface TestClockView {
  now: string;
  offset_ms: number;
}

const view = (): TestClockView => ({
  now: now().toISOString(),
  offset_ms: state.__flagpostClockOffsetMs ?? 0,
});

/** The test clock endpoint does not exist unless the operator turned it on. */
function requireTestClock(): void {
  if (!testClockEnabled()) throw new ApiError("not_found", "Not found");
}

const advanceBody = z
  .object({
    advance_days: z.number().min(0).max(3650).optional(),
    advance_ms: z.number().int().min(0).optional(),
  })
  .refine((value) => value.advance_days !== undefined || value.advance_ms !== undefined, {
    message: "Send advance_days or advance_ms",
  });

/** Moves the clock forward by `{ advance_days?, advance_ms? }` (never back: the rules assume time only grows). */
export function advanceTestClock(body: unknown): TestClockView {
  requireTestClock();
  const parsed = advanceBody.safeParse(body);
  if (!parsed.success)
    throw new ApiError(
      "unprocessable_entity",
      "Send { advance_days } or { advance_ms }",
      zodIssues(parsed.error),
    );
  const ms = (parsed.data.advance_days ?? 0) * DAY_MS + (parsed.data.advance_ms ?? 0);
  state.__flagpostClockOffsetMs = (state.__flagpostClockOffsetMs ?? 0) + ms;
  return view();
}

export function resetTestClock(): TestClockView {
  requireTestClock();
  state.__flagpostClockOffsetMs = 0;
  return view();
}

export function readTestClock(): TestClockView {
  requireTestClock();
  return view();
}
