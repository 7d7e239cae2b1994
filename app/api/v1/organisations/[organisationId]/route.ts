import { z } from "zod";
import { idParam, withRoute } from "@/lib/api/with-route";
import { getOrganisation, serializeOrganisation } from "@/lib/organisations/organisations";

const params = z.object({ organisationId: idParam });

// GET /api/v1/organisations/{id}/
export const GET = withRoute({ params }, async ({ actor, params }) =>
  serializeOrganisation(await getOrganisation(actor, params.organisationId)),
);
