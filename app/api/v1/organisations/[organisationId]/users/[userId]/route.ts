import { z } from "zod";
import { idParam, withRoute } from "@/lib/api/with-route";
import {
  removeOrganisationUser,
  serializeOrganisationUser,
  updateOrganisationUser,
} from "@/lib/organisations/organisation-users";
import { updateOrganisationUserBody } from "@/lib/validations/core";

const params = z.object({ organisationId: idParam, userId: idParam });

// PATCH /api/v1/organisations/{id}/users/{user_id}/ – change the organisation role (organisation admins)
export const PATCH = withRoute(
  { params, body: updateOrganisationUserBody },
  async ({ actor, params, body }) =>
    serializeOrganisationUser(
      await updateOrganisationUser(actor, params.organisationId, params.userId, body),
    ),
);

// DELETE /api/v1/organisations/{id}/users/{user_id}/ – remove from the organisation (organisation admins)
export const DELETE = withRoute({ params }, async ({ actor, params }) => {
  await removeOrganisationUser(actor, params.organisationId, params.userId);
});
