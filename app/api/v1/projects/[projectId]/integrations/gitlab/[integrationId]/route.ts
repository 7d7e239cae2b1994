import { z } from "zod";
import { idParam, withRoute } from "@/lib/api/with-route";
import {
  deleteIntegration,
  getIntegration,
  serializeIntegration,
  updateIntegration,
} from "@/lib/gitlab/integration/integrations";
import { updateGitLabIntegrationBody } from "@/lib/validations/gitlab";

const params = z.object({ projectId: idParam, integrationId: idParam });

// GET /api/v1/projects/{project_id}/integrations/gitlab/{id}/ (viewers; the secret only for admins)
export const GET = withRoute({ params }, async ({ actor, params }) =>
  serializeIntegration(await getIntegration(actor, params.projectId, params.integrationId)),
);

// PATCH /api/v1/projects/{project_id}/integrations/gitlab/{id}/ – incl. token rotation (project admins)
export const PATCH = withRoute(
  { params, body: updateGitLabIntegrationBody },
  async ({ actor, params, body }) =>
    serializeIntegration(await updateIntegration(actor, params.projectId, params.integrationId, body)),
);

// DELETE /api/v1/projects/{project_id}/integrations/gitlab/{id}/ (project admins)
export const DELETE = withRoute({ params }, async ({ actor, params }) => {
  await deleteIntegration(actor, params.projectId, params.integrationId);
});
