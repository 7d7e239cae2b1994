import { z } from "zod";
import { paginationQuery } from "@/lib/api/pagination";
import { idParam, withRoute } from "@/lib/api/with-route";
import { browseGitLabMergeRequests } from "@/lib/gitlab/integration/browse";
import { gitlabMergeRequestFilters } from "@/lib/validations/gitlab";

const params = z.object({ projectId: idParam });

// GET /api/v1/projects/{project_id}/gitlab/merge-requests/ – merge requests of a GitLab project (editors)
export const GET = withRoute(
  { params, query: paginationQuery.extend(gitlabMergeRequestFilters.shape) },
  async ({ actor, params, query, url }) => browseGitLabMergeRequests(actor, params.projectId, url, query),
);
