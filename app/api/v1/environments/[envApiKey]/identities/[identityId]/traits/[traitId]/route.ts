import { z } from "zod";
import { environmentKeyParam, idParam, withRoute } from "@/lib/api/with-route";
import { deleteTrait, serializeTrait, updateTrait } from "@/lib/flags/identities";
import { updateTraitBody } from "@/lib/validations/evaluation";

const params = z.object({ envApiKey: environmentKeyParam, identityId: idParam, traitId: idParam });

// PATCH (or PUT) /api/v1/environments/{api_key}/identities/{id}/traits/{trait_id}/ {trait_value} – editors
export const PATCH = withRoute({ params, body: updateTraitBody }, async ({ actor, params, body }) =>
  serializeTrait(
    await updateTrait(actor, params.envApiKey, params.identityId, params.traitId, body.trait_value),
  ),
);
export const PUT = PATCH;

// DELETE /api/v1/environments/{api_key}/identities/{id}/traits/{trait_id}/ – editors
export const DELETE = withRoute({ params }, async ({ actor, params }) => {
  await deleteTrait(actor, params.envApiKey, params.identityId, params.traitId);
});
