import { z } from "zod";
import { environmentKeyParam, idParam, withRoute } from "@/lib/api/with-route";
import {
  deleteIdentityOverride,
  serializeIdentityOverride,
  updateIdentityOverride,
} from "@/lib/flags/identity-overrides";
import { updateIdentityOverrideBody } from "@/lib/validations/evaluation";

const params = z.object({ envApiKey: environmentKeyParam, identityId: idParam, overrideId: idParam });

// PATCH (or PUT) /api/v1/environments/{api_key}/identities/{id}/featurestates/{override_id}/ – editors
export const PATCH = withRoute(
  { params, body: updateIdentityOverrideBody },
  async ({ actor, params, body }) =>
    serializeIdentityOverride(
      await updateIdentityOverride(actor, params.envApiKey, params.identityId, params.overrideId, body),
    ),
);
export const PUT = PATCH;

// DELETE /api/v1/environments/{api_key}/identities/{id}/featurestates/{override_id}/ – editors
export const DELETE = withRoute({ params }, async ({ actor, params }) => {
  await deleteIdentityOverride(actor, params.envApiKey, params.identityId, params.overrideId);
});
