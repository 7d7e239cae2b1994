import { z } from "zod";
import { paginate, paginationQuery } from "@/lib/api/pagination";
import { idParam, withRoute } from "@/lib/api/with-route";
import { addProjectMember, listProjectMembers, serializeProjectMember } from "@/lib/flags/project-members";
import { addProjectMemberBody } from "@/lib/validations/core";

const params = z.object({ projectId: idParam });

// GET /api/v1/projects/{project_id}/members/
export const GET = withRoute({ params, query: paginationQuery }, async ({ actor, params, query, url }) => {
  const { count, rows } = await listProjectMembers(actor, params.projectId, query);
  return paginate(url, query, count, rows.map(serializeProjectMember));
});

// POST /api/v1/projects/{project_id}/members/ – project admins; the user must be in the organisation
export const POST = withRoute(
  { params, body: addProjectMemberBody, status: 201 },
  async ({ actor, params, body }) =>
    serializeProjectMember(await addProjectMember(actor, params.projectId, body)),
);
