import { z } from "zod";
import { environmentKeyParam, idParam, withRoute } from "@/lib/api/with-route";
import { listTraits, serializeTrait, setTrait } from "@/lib/flags/identities";
import { setTraitBody } from "@/lib/validations/evaluation";

const params = z.object({ envApiKey: environmentKeyParam, identityId: idParam });

// GET /api/v1/environments/{api_key}/identities/{id}/traits/ – every trait (at most 200)
export const GET = withRoute({ params }, async ({ actor, params }) => {
  const traits = await listTraits(actor, params.envApiKey, params.identityId);
  return { count: traits.length, next: null, previous: null, results: traits.map(serializeTrait) };
});

// POST /api/v1/environments/{api_key}/identities/{id}/traits/ {trait_key, trait_value} – editors;
// sets the trait, replacing an existing value
export const POST = withRoute({ params, body: setTraitBody, status: 201 }, async ({ actor, params, body }) =>
  serializeTrait(
    await setTrait(actor, params.envApiKey, params.identityId, body.trait_key, body.trait_value),
  ),
);
