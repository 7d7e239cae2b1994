import { z } from "zod";
import { paginationQuery } from "@/lib/api/pagination";
import { idParam, withRoute } from "@/lib/api/with-route";
import { browseGitLabIssues } from "@/lib/gitlab/integration/browse";
import { gitlabIssueFilters } from "@/lib/validations/gitlab";

const params = z.object({ projectId: idParam });

// GET /api/v1/projects/{project_id}/gitlab/issues/ – issues of a GitLab project (editors)
export const GET = withRoute(
  { params, query: paginationQuery.extend(gitlabIssueFilters.shape) },
  async ({ actor, params, query, url }) => browseGitLabIssues(actor, params.projectId, url, query),
);
