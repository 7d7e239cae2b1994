import { z } from "zod";
import { withRoute } from "@/lib/api/with-route";
import { advanceTestClock, readTestClock, resetTestClock } from "@/lib/clock";

// The clock of end-to-end tests; every method answers 404 unless FLAGPOST_TEST_CLOCK=true (the body
// is checked only after that, so a production server says nothing about it).

// GET /api/internal/test-clock – the time Flagpost's rules read
export const GET = withRoute({ auth: "none" }, async () => readTestClock());

// POST /api/internal/test-clock – { advance_days?, advance_ms? } moves it forward
export const POST = withRoute({ auth: "none", body: z.unknown() }, async ({ body }) =>
  advanceTestClock(body),
);

// DELETE /api/internal/test-clock – back to the system clock
export const DELETE = withRoute({ auth: "none" }, async () => resetTestClock());
