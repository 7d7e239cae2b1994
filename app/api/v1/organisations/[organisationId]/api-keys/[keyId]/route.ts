import { z } from "zod";
import { idParam, withRoute } from "@/lib/api/with-route";
import { revokeApiKey } from "@/lib/organisations/organisation-api-keys";

const params = z.object({ organisationId: idParam, keyId: idParam });

// DELETE /api/v1/organisations/{id}/api-keys/{key_id}/ – revoke (organisation admins)
export const DELETE = withRoute({ params }, async ({ actor, params }) => {
  await revokeApiKey(actor, params.organisationId, params.keyId);
});
