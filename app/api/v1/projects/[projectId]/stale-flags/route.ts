import { z } from "zod";
import { paginate, paginationQuery } from "@/lib/api/pagination";
import { idParam, withRoute } from "@/lib/api/with-route";
import { listStaleFlags, serializeStaleFlag } from "@/lib/gitlab/cleanup/stale-flag-list";
import { searchQuery } from "@/lib/validations/common";

const params = z.object({ projectId: idParam });

// GET /api/v1/projects/{project_id}/stale-flags/ – viewers; flags whose work is done and whose state settled, stalest first
export const GET = withRoute(
  { params, query: paginationQuery.extend({ search: searchQuery }) },
  async ({ actor, params, query, url }) => {
    const { count, thresholdDays, rows } = await listStaleFlags(actor, params.projectId, query);
    return { ...paginate(url, query, count, rows.map(serializeStaleFlag)), threshold_days: thresholdDays };
  },
);
