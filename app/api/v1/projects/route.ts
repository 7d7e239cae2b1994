import { paginate, paginationQuery } from "@/lib/api/pagination";
import { withRoute } from "@/lib/api/with-route";
import { createProject, listProjects, serializeProject } from "@/lib/flags/projects";
import { searchQuery } from "@/lib/validations/common";
import { createProjectBody } from "@/lib/validations/core";

// GET /api/v1/projects/ – projects the caller can see
export const GET = withRoute(
  { query: paginationQuery.extend({ search: searchQuery }) },
  async ({ actor, query, url }) => {
    const { count, rows } = await listProjects(actor, query, query.search);
    return paginate(url, query, count, rows.map(serializeProject));
  },
);

// POST /api/v1/projects/ – create a project (organisation admins)
export const POST = withRoute({ body: createProjectBody, status: 201 }, async ({ actor, body }) =>
  serializeProject(await createProject(actor, body)),
);
