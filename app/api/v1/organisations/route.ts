import { paginate, paginationQuery } from "@/lib/api/pagination";
import { withRoute } from "@/lib/api/with-route";
import { listOrganisations, serializeOrganisation } from "@/lib/organisations/organisations";

// GET /api/v1/organisations/ – the caller's organisations with their role
export const GET = withRoute({ query: paginationQuery }, async ({ actor, query, url }) => {
  const { count, rows } = await listOrganisations(actor, query);
  return paginate(url, query, count, rows.map(serializeOrganisation));
});
