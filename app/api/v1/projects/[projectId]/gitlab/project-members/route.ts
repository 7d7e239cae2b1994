import { z } from "zod";
import { paginationQuery } from "@/lib/api/pagination";
import { idParam, withRoute } from "@/lib/api/with-route";
import { browseGitLabProjectMembers } from "@/lib/gitlab/integration/browse";
import { gitlabMemberFilters } from "@/lib/validations/gitlab";

const params = z.object({ projectId: idParam });

// GET /api/v1/projects/{project_id}/gitlab/project-members/ – people with access to a GitLab project (editors)
export const GET = withRoute(
  { params, query: paginationQuery.extend(gitlabMemberFilters.shape) },
  async ({ actor, params, query, url }) => browseGitLabProjectMembers(actor, params.projectId, url, query),
);
