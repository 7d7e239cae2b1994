import { z } from "zod";
import { environmentKeyParam, idParam, withRoute } from "@/lib/api/with-route";
import {
  createIdentityOverride,
  listIdentityOverrides,
  serializeIdentityOverride,
} from "@/lib/flags/identity-overrides";
import { createIdentityOverrideBody } from "@/lib/validations/evaluation";

const params = z.object({ envApiKey: environmentKeyParam, identityId: idParam });

// GET /api/v1/environments/{api_key}/identities/{id}/featurestates/ – the identity's overrides
export const GET = withRoute({ params }, async ({ actor, params }) => {
  const overrides = await listIdentityOverrides(actor, params.envApiKey, params.identityId);
  return {
    count: overrides.length,
    next: null,
    previous: null,
    results: overrides.map(serializeIdentityOverride),
  };
});

// POST /api/v1/environments/{api_key}/identities/{id}/featurestates/
// {feature, enabled?, feature_state_value?, multivariate_feature_state_values?} – editors
export const POST = withRoute(
  { params, body: createIdentityOverrideBody, status: 201 },
  async ({ actor, params, body }) =>
    serializeIdentityOverride(await createIdentityOverride(actor, params.envApiKey, params.identityId, body)),
);
