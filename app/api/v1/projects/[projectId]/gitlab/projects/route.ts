import { z } from "zod";
import { paginationQuery } from "@/lib/api/pagination";
import { idParam, withRoute } from "@/lib/api/with-route";
import { browseGitLabProjects } from "@/lib/gitlab/integration/browse";
import { gitlabProjectFilters } from "@/lib/validations/gitlab";

const params = z.object({ projectId: idParam });

// GET /api/v1/projects/{project_id}/gitlab/projects/ – GitLab projects the token is a member of (editors)
export const GET = withRoute(
  { params, query: paginationQuery.extend(gitlabProjectFilters.shape) },
  async ({ actor, params, query, url }) => browseGitLabProjects(actor, params.projectId, url, query),
);
