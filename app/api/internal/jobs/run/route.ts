import { withRoute } from "@/lib/api/with-route";
import { assertInternalCaller, runJobBatch } from "@/lib/jobs/run-endpoint";

// POST /api/internal/jobs/run – drain a batch of due background jobs (external schedulers)
export const POST = withRoute({ auth: "none" }, async ({ req }) => {
  assertInternalCaller(req.headers.get("authorization"));
  return runJobBatch();
});
