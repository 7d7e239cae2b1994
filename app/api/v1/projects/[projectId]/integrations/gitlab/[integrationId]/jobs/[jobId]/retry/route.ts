import { z } from "zod";
import { idParam, withRoute } from "@/lib/api/with-route";
import { retryIntegrationJob } from "@/lib/gitlab/integration/integration-jobs";

const params = z.object({ projectId: idParam, integrationId: idParam, jobId: idParam });

// POST /api/v1/projects/{project_id}/integrations/gitlab/{id}/jobs/{job_id}/retry/ – runs a failed job again (project admins)
export const POST = withRoute({ params }, async ({ actor, params }) => {
  await retryIntegrationJob(actor, params.projectId, params.integrationId, params.jobId);
});
