import { z } from "zod";
import { environmentKeyParam, idParam, withRoute } from "@/lib/api/with-route";
import { revokeServerKey } from "@/lib/flags/server-keys";

const params = z.object({ envApiKey: environmentKeyParam, keyId: idParam });

// DELETE /api/v1/environments/{api_key}/api-keys/{id}/ – project admins; revokes the key
export const DELETE = withRoute({ params }, async ({ actor, params }) => {
  await revokeServerKey(actor, params.envApiKey, params.keyId);
});
