import { z } from "zod";
import { paginate, paginationQuery } from "@/lib/api/pagination";
import { idParam, withRoute } from "@/lib/api/with-route";
import {
  createOrganisationApiKey,
  listApiKeys,
  serializeApiKey,
} from "@/lib/organisations/organisation-api-keys";
import { createApiKeyBody } from "@/lib/validations/core";

const params = z.object({ organisationId: idParam });

// GET /api/v1/organisations/{id}/api-keys/ – organisation admins
export const GET = withRoute({ params, query: paginationQuery }, async ({ actor, params, query, url }) => {
  const { count, rows } = await listApiKeys(actor, params.organisationId, query);
  return paginate(url, query, count, rows.map(serializeApiKey));
});

// POST /api/v1/organisations/{id}/api-keys/ – organisation admins; the answer shows `key` once
export const POST = withRoute(
  { params, body: createApiKeyBody, status: 201 },
  async ({ actor, params, body }) => {
    const { key, apiKey } = await createOrganisationApiKey(actor, params.organisationId, body.name, {
      role: body.role,
      expiresAt: body.expires_at ? new Date(body.expires_at) : null,
    });
    return { ...serializeApiKey(apiKey), key };
  },
);
