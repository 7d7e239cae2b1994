import { z } from "zod";
import { environmentKeyParam, idParam, withRoute } from "@/lib/api/with-route";
import { getFeatureState, serializeFeatureState, updateFeatureState } from "@/lib/flags/feature-states";
import { withMultivariateValues } from "@/lib/flags/multivariate";
import { updateFeatureStateBody } from "@/lib/validations/core";

const params = z.object({ envApiKey: environmentKeyParam, stateId: idParam });

// GET /api/v1/environments/{api_key}/featurestates/{id}/
export const GET = withRoute({ params }, async ({ actor, params }) => {
  const state = await getFeatureState(actor, params.envApiKey, params.stateId);
  return withMultivariateValues(state, serializeFeatureState(state));
});

// PATCH /api/v1/environments/{api_key}/featurestates/{id}/ – editors; changes only the fields sent,
// `multivariate_feature_state_values` replaces the state's variant weights (total ≤ 100)
export const PATCH = withRoute({ params, body: updateFeatureStateBody }, async ({ actor, params, body }) => {
  const state = await updateFeatureState(actor, params.envApiKey, params.stateId, body);
  return withMultivariateValues(state, serializeFeatureState(state));
});
