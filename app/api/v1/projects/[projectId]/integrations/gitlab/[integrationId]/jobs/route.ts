import { z } from "zod";
import { idParam, withRoute } from "@/lib/api/with-route";
import { listIntegrationJobs } from "@/lib/gitlab/integration/integration-jobs";
import { integrationJobFilters } from "@/lib/validations/gitlab";

const params = z.object({ projectId: idParam, integrationId: idParam });

// GET /api/v1/projects/{project_id}/integrations/gitlab/{id}/jobs/?status= – background jobs: counts and the latest 100 (project admins)
export const GET = withRoute({ params, query: integrationJobFilters }, ({ actor, params, query }) =>
  listIntegrationJobs(actor, params.projectId, params.integrationId, query),
);
