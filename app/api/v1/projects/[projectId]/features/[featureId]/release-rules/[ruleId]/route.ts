import { z } from "zod";
import { idParam, withRoute } from "@/lib/api/with-route";
import { deleteReleaseRule, serializeReleaseRule, updateReleaseRule } from "@/lib/release-rules/rules";
import { updateReleaseRuleBody } from "@/lib/validations/release-rules";

const params = z.object({ projectId: idParam, featureId: idParam, ruleId: idParam });

// PATCH /api/v1/projects/{project_id}/features/{feature_id}/release-rules/{id}/ – pause or resume
export const PATCH = withRoute({ params, body: updateReleaseRuleBody }, async ({ actor, params, body }) =>
  serializeReleaseRule(
    await updateReleaseRule(actor, params.projectId, params.featureId, params.ruleId, body),
  ),
);

// DELETE /api/v1/projects/{project_id}/features/{feature_id}/release-rules/{id}/ – also drops its scheduled change
export const DELETE = withRoute({ params }, async ({ actor, params }) => {
  await deleteReleaseRule(actor, params.projectId, params.featureId, params.ruleId);
});
