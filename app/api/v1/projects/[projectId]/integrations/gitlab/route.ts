import { z } from "zod";
import { idParam, withRoute } from "@/lib/api/with-route";
import {
  createIntegration,
  listIntegrations,
  serializeIntegration,
} from "@/lib/gitlab/integration/integrations";
import { createGitLabIntegrationBody } from "@/lib/validations/gitlab";

const params = z.object({ projectId: idParam });

// GET /api/v1/projects/{project_id}/integrations/gitlab/ – the live configuration, if any (viewers)
export const GET = withRoute({ params }, async ({ actor, params }) => ({
  results: (await listIntegrations(actor, params.projectId)).map(serializeIntegration),
}));

// POST /api/v1/projects/{project_id}/integrations/gitlab/ – connect GitLab (project admins)
export const POST = withRoute(
  { params, body: createGitLabIntegrationBody, status: 201 },
  async ({ actor, params, body }) =>
    serializeIntegration(await createIntegration(actor, params.projectId, body)),
);
