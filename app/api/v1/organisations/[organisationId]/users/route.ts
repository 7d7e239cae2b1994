import { z } from "zod";
import { paginate, paginationQuery } from "@/lib/api/pagination";
import { idParam, withRoute } from "@/lib/api/with-route";
import {
  createOrganisationUser,
  listOrganisationUsers,
  serializeOrganisationUser,
} from "@/lib/organisations/organisation-users";
import { createUserBody } from "@/lib/validations/core";

const params = z.object({ organisationId: idParam });

// GET /api/v1/organisations/{id}/users/ – organisation members
export const GET = withRoute({ params, query: paginationQuery }, async ({ actor, params, query, url }) => {
  const { count, rows } = await listOrganisationUsers(actor, params.organisationId, query);
  return paginate(url, query, count, rows.map(serializeOrganisationUser));
});

// POST /api/v1/organisations/{id}/users/ – create an account in the organisation (organisation admins)
export const POST = withRoute(
  { params, body: createUserBody, status: 201 },
  async ({ actor, params, body }) =>
    serializeOrganisationUser(await createOrganisationUser(actor, params.organisationId, body)),
);
