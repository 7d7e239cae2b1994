import { z } from "zod";
import { idParam, withRoute } from "@/lib/api/with-route";
import { testSegmentRules } from "@/lib/flags/segments";
import { testSegmentBody } from "@/lib/validations/evaluation";

const params = z.object({ projectId: idParam });

// POST /api/v1/projects/{project_id}/segments/test/ {rules, traits?, identifier?, environment?, segment?}
// – viewers; evaluates the rules for that identity, stores nothing
export const POST = withRoute({ params, body: testSegmentBody }, async ({ actor, params, body }) =>
  testSegmentRules(actor, params.projectId, body),
);
