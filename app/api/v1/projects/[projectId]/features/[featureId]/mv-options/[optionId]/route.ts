import { z } from "zod";
import { idParam, withRoute } from "@/lib/api/with-route";
import {
  deleteMultivariateOption,
  getMultivariateOption,
  serializeMultivariateOption,
  updateMultivariateOption,
} from "@/lib/flags/multivariate";
import { updateMultivariateOptionBody } from "@/lib/validations/evaluation";

const params = z.object({ projectId: idParam, featureId: idParam, optionId: idParam });

// GET /api/v1/projects/{project_id}/features/{feature_id}/mv-options/{id}/
export const GET = withRoute({ params }, async ({ actor, params }) =>
  serializeMultivariateOption(
    await getMultivariateOption(actor, params.projectId, params.featureId, params.optionId),
  ),
);

// PATCH (or PUT) /api/v1/projects/{project_id}/features/{feature_id}/mv-options/{id}/ – editors
export const PATCH = withRoute(
  { params, body: updateMultivariateOptionBody },
  async ({ actor, params, body }) =>
    serializeMultivariateOption(
      await updateMultivariateOption(actor, params.projectId, params.featureId, params.optionId, body),
    ),
);
export const PUT = PATCH;

// DELETE /api/v1/projects/{project_id}/features/{feature_id}/mv-options/{id}/ – editors
export const DELETE = withRoute({ params }, async ({ actor, params }) => {
  await deleteMultivariateOption(actor, params.projectId, params.featureId, params.optionId);
});
