import { z } from "zod";
import { idParam, withRoute } from "@/lib/api/with-route";
import { createReleaseRule, listReleaseRules, serializeReleaseRule } from "@/lib/release-rules/rules";
import { createReleaseRuleBody } from "@/lib/validations/release-rules";

const params = z.object({ projectId: idParam, featureId: idParam });

// GET /api/v1/projects/{project_id}/features/{feature_id}/release-rules/ – viewers
export const GET = withRoute({ params }, async ({ actor, params }) => ({
  results: (await listReleaseRules(actor, params.projectId, params.featureId)).map(serializeReleaseRule),
}));

// POST /api/v1/projects/{project_id}/features/{feature_id}/release-rules/ – editors (admins for protected environments)
export const POST = withRoute(
  { params, body: createReleaseRuleBody, status: 201 },
  async ({ actor, params, body }) =>
    serializeReleaseRule(await createReleaseRule(actor, params.projectId, params.featureId, body)),
);
