import { z } from "zod";
import { environmentKeyParam, idParam, withRoute } from "@/lib/api/with-route";
import { evaluatedFlagsOfIdentity } from "@/lib/flags/evaluated-flags";

const params = z.object({ envApiKey: environmentKeyParam, identityId: idParam });

// GET /api/v1/environments/{api_key}/identities/{id}/evaluated-flags/ – each flag as the identity
// gets it, with the engine's reason
export const GET = withRoute({ params }, async ({ actor, params }) =>
  evaluatedFlagsOfIdentity(actor, params.envApiKey, params.identityId),
);
