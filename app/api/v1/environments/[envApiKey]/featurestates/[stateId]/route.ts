import { z } from "zod";
import { environmentKeyParam, idParam, withRoute } from "@/lib/api/with-route";
import { getFeatureState, serializeFeatureState, updateFeatureState } from "@/lib/flags/feature-states";
import { updateFeatureStateBody } from "@/lib/validations/core";

const params = z.object({ envApiKey: environmentKeyParam, stateId: idParam });

// GET /api/v1/environments/{api_key}/featurestates/{id}/
export const GET = withRoute({ params }, async ({ actor, params }) =>
  serializeFeatureState(await getFeatureState(actor, params.envApiKey, params.stateId)),
);

// PATCH /api/v1/environments/{api_key}/featurestates/{id}/ – editors; changes only the fields sent
export const PATCH = withRoute({ params, body: updateFeatureStateBody }, async ({ actor, params, body }) =>
  serializeFeatureState(await updateFeatureState(actor, params.envApiKey, params.stateId, body)),
);
