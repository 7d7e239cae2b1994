import { z } from "zod";
import { paginate, paginationQuery } from "@/lib/api/pagination";
import { environmentKeyParam, withRoute } from "@/lib/api/with-route";
import { createIdentity, listIdentities, serializeIdentity } from "@/lib/flags/identities";
import { createIdentityBody, identityListFilters } from "@/lib/validations/evaluation";

const params = z.object({ envApiKey: environmentKeyParam });

// GET /api/v1/environments/{api_key}/identities/?q=&page=&page_size= – search and paging in the database
export const GET = withRoute(
  { params, query: paginationQuery.extend(identityListFilters.shape) },
  async ({ actor, params, query, url }) => {
    const { count, rows } = await listIdentities(actor, params.envApiKey, query, query.q);
    return paginate(url, query, count, rows.map(serializeIdentity));
  },
);

// POST /api/v1/environments/{api_key}/identities/ {identifier} – editors
export const POST = withRoute(
  { params, body: createIdentityBody, status: 201 },
  async ({ actor, params, body }) =>
    serializeIdentity(await createIdentity(actor, params.envApiKey, body.identifier)),
);
