import { z } from "zod";
import { idParam, withRoute } from "@/lib/api/with-route";
import { createCleanupIssue, serializeCreatedCleanupIssue } from "@/lib/gitlab/cleanup/cleanup-issues";
import { createCleanupIssueBody } from "@/lib/validations/gitlab";

const params = z.object({ projectId: idParam });

// POST /api/v1/projects/{project_id}/gitlab/create-cleanup-issue/ – editors; creates the issue in GitLab and links it as the flag's cleanup issue
export const POST = withRoute(
  { params, body: createCleanupIssueBody, status: 201 },
  async ({ actor, params, body }) =>
    serializeCreatedCleanupIssue(await createCleanupIssue(actor, params.projectId, body)),
);
