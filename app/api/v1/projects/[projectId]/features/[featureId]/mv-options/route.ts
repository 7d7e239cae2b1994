import { z } from "zod";
import { idParam, withRoute } from "@/lib/api/with-route";
import {
  createMultivariateOption,
  listMultivariateOptions,
  serializeMultivariateOption,
} from "@/lib/flags/multivariate";
import { createMultivariateOptionBody } from "@/lib/validations/evaluation";

const params = z.object({ projectId: idParam, featureId: idParam });

// GET /api/v1/projects/{project_id}/features/{feature_id}/mv-options/
export const GET = withRoute({ params }, async ({ actor, params }) => {
  const options = await listMultivariateOptions(actor, params.projectId, params.featureId);
  return {
    count: options.length,
    next: null,
    previous: null,
    results: options.map(serializeMultivariateOption),
  };
});

// POST /api/v1/projects/{project_id}/features/{feature_id}/mv-options/
// {type, string_value | integer_value | boolean_value, default_percentage_allocation} – editors
export const POST = withRoute(
  { params, body: createMultivariateOptionBody, status: 201 },
  async ({ actor, params, body }) =>
    serializeMultivariateOption(
      await createMultivariateOption(actor, params.projectId, params.featureId, body),
    ),
);
