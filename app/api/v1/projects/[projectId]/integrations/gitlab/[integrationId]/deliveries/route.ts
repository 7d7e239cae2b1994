import { z } from "zod";
import { idParam, withRoute } from "@/lib/api/with-route";
import { listWebhookDeliveries } from "@/lib/gitlab/webhooks/delivery-log";

const params = z.object({ projectId: idParam, integrationId: idParam });

// GET /api/v1/projects/{project_id}/integrations/gitlab/{id}/deliveries/ – the latest webhook deliveries (project admins)
export const GET = withRoute({ params }, ({ actor, params }) =>
  listWebhookDeliveries(actor, params.projectId, params.integrationId),
);
