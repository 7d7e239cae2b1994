import { z } from "zod";
import { idParam, withRoute } from "@/lib/api/with-route";
import { registerWebhook, unregisterWebhook } from "@/lib/gitlab/integration/integration-webhook";
import { serializeIntegration } from "@/lib/gitlab/integration/integrations";

const params = z.object({ projectId: idParam, integrationId: idParam });

// POST /api/v1/projects/{project_id}/integrations/gitlab/{id}/webhook/ – register the project hook in GitLab (project admins)
export const POST = withRoute({ params, status: 201 }, async ({ actor, params }) =>
  serializeIntegration(await registerWebhook(actor, params.projectId, params.integrationId)),
);

// DELETE /api/v1/projects/{project_id}/integrations/gitlab/{id}/webhook/ – remove it again (project admins)
export const DELETE = withRoute({ params }, async ({ actor, params }) => {
  await unregisterWebhook(actor, params.projectId, params.integrationId);
});
