import { z } from "zod";
import { environmentKeyParam, idParam, withRoute } from "@/lib/api/with-route";
import { deleteIdentity, getIdentity, serializeIdentity } from "@/lib/flags/identities";

const params = z.object({ envApiKey: environmentKeyParam, identityId: idParam });

// GET /api/v1/environments/{api_key}/identities/{id}/
export const GET = withRoute({ params }, async ({ actor, params }) =>
  serializeIdentity(await getIdentity(actor, params.envApiKey, params.identityId)),
);

// DELETE /api/v1/environments/{api_key}/identities/{id}/ – editors; removes its traits and overrides
export const DELETE = withRoute({ params }, async ({ actor, params }) => {
  await deleteIdentity(actor, params.envApiKey, params.identityId);
});
