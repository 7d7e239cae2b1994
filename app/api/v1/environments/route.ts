import { paginate, paginationQuery } from "@/lib/api/pagination";
import { withRoute } from "@/lib/api/with-route";
import { createEnvironment, listEnvironments, serializeEnvironment } from "@/lib/flags/environments";
import { createEnvironmentBody, environmentListFilters } from "@/lib/validations/core";

// GET /api/v1/environments/?project={id} – a project's environments (`project` is required)
export const GET = withRoute(
  { query: paginationQuery.extend(environmentListFilters.shape) },
  async ({ actor, query, url }) => {
    const { count, rows } = await listEnvironments(actor, query.project, query);
    return paginate(url, query, count, rows.map(serializeEnvironment));
  },
);

// POST /api/v1/environments/ – project admins; creates a state for every feature
export const POST = withRoute({ body: createEnvironmentBody, status: 201 }, async ({ actor, body }) =>
  serializeEnvironment(await createEnvironment(actor, body)),
);
