import { z } from "zod";
import { idParam, withRoute } from "@/lib/api/with-route";
import { previewCleanupIssue } from "@/lib/gitlab/cleanup/cleanup-issues";
import { cleanupIssuePreviewQuery } from "@/lib/validations/gitlab";

const params = z.object({ projectId: idParam });

// GET /api/v1/projects/{project_id}/gitlab/cleanup-issue-preview/?feature_id= – editors; the title and Markdown body "Create cleanup issue" starts from
export const GET = withRoute({ params, query: cleanupIssuePreviewQuery }, async ({ actor, params, query }) =>
  previewCleanupIssue(actor, params.projectId, query.feature_id),
);
